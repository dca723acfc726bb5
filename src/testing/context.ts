/** What every handler of the fake works with. */
import type { Signer } from "./signing.js";
import type { Store } from "./store.js";

export interface Context {
  store: Store;
  signer: Signer;
  /** The Airflow version the fake answers as. */
  version: string;
  credentials: { username: string; password: string };
  jwtExpirationSeconds: number;
}
