import { z } from "zod";

/**
 * Configuration, parsed once from the environment. A bad value stops start-up with a message
 * naming the setting.
 */
const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  /**
   * The health port (decision 040): `GET /healthz` answered by a thread of the web process with
   * connections of its own, never waiting behind pages. Unset: off; 0: any free port. PostgreSQL only.
   */
  HEALTH_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** The health port answers 503 once the web process's main thread has not run for this long. */
  HEALTH_STALL_MS: z.coerce.number().int().min(200).max(600_000).default(10_000),
  /**
   * The health port's thread asks for this scheduling priority (a nice value, decision 053): on a
   * busy host its answer waits less for a core. Raising it needs CAP_SYS_NICE or a RLIMIT_NICE that
   * allows it; without, the thread keeps the process's and start-up says so.
   */
  HEALTH_NICE: z.coerce.number().int().min(-20).max(19).default(-10),
  DATA_DIR: z.string().default(".data"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL (leave it unset for the embedded database)")
    .optional(),
  /**
   * Statements parsed and planned once per connection (decision 050). `false` for a connection
   * pooler that cannot keep them (PgBouncer before 1.21 in transaction mode).
   */
  DATABASE_PREPARED_STATEMENTS: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[\w.-]+:\d+$/, "must be host:port, e.g. temporal.example.org:7233")
    .optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default("default"),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default("pathways"),
  TEMPORAL_TLS: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
  TEMPORAL_TLS_CERT: z.string().optional(),
  TEMPORAL_TLS_KEY: z.string().optional(),
  TEMPORAL_API_KEY: z.string().optional(),
  TEMPORAL_DEV_PORT: z.coerce.number().int().min(0).max(65535).default(7233),
  TEMPORAL_UI_PORT: z.coerce.number().int().min(0).max(65535).default(8233),
  /** Worker settings (decisions 019, 029): see workflows/worker.ts for what each costs. */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(2).max(100_000).default(250),
  /** Unset: 256 MB + 2 MB per cached workflow (defaultWorkflowHeapMb). */
  WORKER_WORKFLOW_HEAP_MB: z.coerce.number().int().min(128).max(65_536).optional(),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().min(2).max(1_000).default(16),
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().min(1).max(1_000).default(16),
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(60),
  SESSION_MAX_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  COOKIE_SECURE: z.enum(["auto", "true", "false"]).default("auto"),
  EVIDENCE_DIR: z.string().optional(),
  EVIDENCE_MAX_MB: z.coerce.number().min(1).max(100).default(10),
  TRUST_PROXY: z.string().optional(),
  /** Threads that make export files off the request path (decision 037); 0 makes them on the request path. */
  EXPORT_THREADS: z.coerce.number().int().min(0).max(16).default(1),
  /** Export files that may wait for a thread; one more is answered 503 with Retry-After (decision 037). */
  EXPORT_QUEUE: z.coerce.number().int().min(0).max(1_000).default(16),
  /** Requests one API token may make in a minute (decision 028). */
  API_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(120),
  /** Signs the one-time notice cookie. Unset: a random one kept in DATA_DIR/cookie-secret (set it when web processes do not share DATA_DIR). */
  COOKIE_SECRET: z.string().min(32, "must be at least 32 characters (e.g. `openssl rand -hex 32`)").optional(),
  /** E-mail (decision 025): nodemailer's SMTP URL; unset, mail is kept in the outbox (/admin/outbox). */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, "must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example.org:587")
    .optional(),
  /** The address links in e-mail start with; unset: http://localhost:PORT. */
  APP_URL: z
    .string()
    .regex(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, "must be an http:// or https:// URL, e.g. https://pathways.example.org")
    .optional(),
  MAIL_FROM: z.string().min(3).optional(),
  DEMO_DATA: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),
});

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {}

export function parseConfig(env: NodeJS.ProcessEnv | Record<string, string | undefined>): Config {
  const blanksRemoved = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const result = ConfigSchema.safeParse(blanksRemoved);
  const lines = result.success ? [] : result.error.issues.map((i) => `  ${i.path.join(".") || "(config)"}: ${i.message}`);
  if (!blanksRemoved.TEMPORAL_TLS_CERT !== !blanksRemoved.TEMPORAL_TLS_KEY)
    lines.push("  TEMPORAL_TLS_KEY: set both TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY, or neither");
  if (blanksRemoved.HEALTH_PORT !== undefined && blanksRemoved.DATABASE_URL === undefined)
    lines.push(
      "  HEALTH_PORT: needs DATABASE_URL (PostgreSQL): the embedded database lives in the web process's main thread, so the health port's thread cannot reach it without waiting on that thread",
    );
  if (result.success && lines.length === 0) return result.data;
  throw new ConfigError(`Pathways cannot start: bad configuration\n${lines.join("\n")}`);
}
