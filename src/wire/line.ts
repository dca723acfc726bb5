/**
 * The seam between the facade and one API line. The facade (input checks, routing, pagination,
 * the follow loop, retries, errors, the CLI) talks only to this interface; `wire/v1` (Airflow 2,
 * `/api/v1`) and `wire/v2` (Airflow 3, `/api/v2`) implement it from their own generated types.
 */
import type { AirflowHttpError, RequestDescription } from "../errors.js";
import type { CheckedFilters, ListEndpoint } from "../filters.js";
import type { QueryValue, WireRequest } from "../http/request.js";
import type { AuthSource, Transport } from "../http/transport.js";
import type { TaskInstance, TaskInstanceReference } from "../model.js";
import type { CheckedRef } from "../refs.js";
import type { SettableState } from "../validate.js";

export type ApiLineName = "v1" | "v2";

/** What a line may ask of the core while it builds a request. */
export interface LineContext {
  /** The server's Airflow version, asked once. */
  serverVersion(signal?: AbortSignal): Promise<{ text: string; parsed: readonly [number, number, number] }>;
}

/** A request and how to read its JSON answer. */
export interface Exchange<T> {
  request: WireRequest;
  read(body: unknown): T;
  /** An error answer that is a documented outcome rather than a failure, turned into the result. */
  recover?(error: AirflowHttpError): T | undefined;
}

/** What a line needs to build its auth: Airflow 3's login goes to the server root through the transport. */
export interface AuthEnvironment {
  root: string;
  transport: Transport;
}

/** Log text decoded from a piece of an answer, with the records it was rendered from (Airflow 3). */
export interface LogPiece {
  text: string;
  records?: unknown[];
}

/** Decodes one log answer read piece by piece. */
export interface LogAnswerDecoder {
  /** Feeds the next piece of decoded text; returns the log text decoded from it (may be ""), with its records on Airflow 3. */
  push(piece: string): LogPiece;
  /** Ends the answer; throws if it is incomplete. `token` is null once the log is complete. */
  end(): Promise<LogPiece & { token: string | null; endOfLog: boolean }>;
}

/**
 * Auth given by the user, before it is fitted to a line: headers the same on both lines (a token,
 * a function), or credentials, which each line uses its own way.
 */
export type LineAuthInput = AuthSource | { username: string; password: string } | undefined;

/** What a clear does, each flag explicit. */
export interface ClearFlags {
  dryRun: boolean;
  downstream: boolean;
  upstream: boolean;
  onlyFailed: boolean;
}

/** What a clear answered: full task instances, or (Airflow 2) references without map index or state. */
export type ClearAnswer = { instances: TaskInstance[] } | { references: TaskInstanceReference[] };

export interface WireLine {
  readonly name: ApiLineName;
  /** The path of this line's API below the server root. */
  readonly prefix: "/api/v1" | "/api/v2";
  /** Builds the AirflowHttpError of a non-2xx answer from this line's error bodies. */
  httpError(status: number, body: unknown, request: RequestDescription): AirflowHttpError;
  /** Auth headers for this line from the user's option (v2 logs in with a password). */
  auth(input: LineAuthInput, env: AuthEnvironment): AuthSource | undefined;
  /** This line's name of a checked filter for `endpoint`; throws AirflowInputError, naming what to use instead, for one it does not take. */
  filterName(name: string, endpoint: ListEndpoint): string;
  /** The `order_by` query value for a listing; throws AirflowInputError for keys this line cannot sort by. */
  orderBy(endpoint: "list" | "mapped", keys: readonly string[]): QueryValue;
  /** Query parameters of a listing page, version-gated where the line needs it. */
  listQuery(ctx: LineContext, endpoint: "list" | "mapped", filters: CheckedFilters, extra: Record<string, QueryValue>, signal?: AbortSignal): Promise<Record<string, QueryValue>>;
  /** The batch list's page request. */
  batchPage(ctx: LineContext, filters: Record<string, unknown>, offset: number, limit: number, signal?: AbortSignal): Promise<WireRequest>;
  setState(ref: CheckedRef, state: SettableState, dryRun: boolean): Exchange<TaskInstanceReference>;
  setNote(ref: CheckedRef, note: string): Exchange<TaskInstance>;
  extraLinks(ctx: LineContext, ref: CheckedRef, signal?: AbortSignal): Promise<Exchange<Record<string, string | null>>>;
  /** One read of a try's log, from `token` (or the start). */
  logRequest(ref: CheckedRef, tryNumber: number, token: string | undefined): WireRequest;
  /** A decoder for one log answer; `first` is a read without a token (which holds the source notes). */
  logDecoder(options: { dropSourceDetails: boolean }): LogAnswerDecoder;
  /**
   * Whether a line of log text is the last one Airflow writes for a try: once it has been read
   * after the end of the log, nothing more comes and no settle read is needed.
   */
  isLastLineOfTry(line: string): boolean;
  /**
   * A clear of one task instance (or, without a map index, of the whole task); every flag is
   * sent. The answer is the affected task instances (Airflow 3) or references to them (Airflow 2).
   */
  clear(ref: CheckedRef, flags: ClearFlags): Exchange<ClearAnswer>;
  /** Whether a 404 answer is the one of a mapped task asked for without a map index (callers check the 404). */
  isMappedWithoutIndex(error: AirflowHttpError): boolean;
  /** Whether a 404 answer is the one of listMapped on a task that is not mapped (callers check the 404). */
  isNotMapped(error: AirflowHttpError): boolean;
}
