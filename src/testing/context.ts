/** What every handler of the fake works with. */
import type { Signer } from "./signing.js";
import type { Store } from "./store.js";
import type { FakeAuthBackend } from "./types.js";

export interface Context {
  store: Store;
  signer: Signer;
  /** The Airflow version the fake answers as. */
  version: string;
  credentials: { username: string; password: string };
  jwtExpirationSeconds: number;
  /** 2.x: the `[api] auth_backends`, in order. */
  authBackends: readonly FakeAuthBackend[];
  /** 3.x: `[api] maximum_page_limit`. */
  maximumPageLimit: number;
}
