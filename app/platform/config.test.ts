import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "./config";

describe("configuration", () => {
  it("defaults to the embedded database and a dev server of its own", () => {
    const c = parseConfig({});
    expect(c).toMatchObject({ PORT: 3000, TEMPORAL_TASK_QUEUE: "pathways", TEMPORAL_TLS: false, DATA_DIR: ".data" });
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.TEMPORAL_ADDRESS).toBeUndefined();
  });

  it("takes a PostgreSQL server and a Temporal cluster by configuration", () => {
    const c = parseConfig({
      DATABASE_URL: "postgres://app@db:5432/pathways",
      TEMPORAL_ADDRESS: "temporal.internal:7233",
      TEMPORAL_TLS: "true",
      PORT: "8080",
    });
    expect(c).toMatchObject({
      DATABASE_URL: "postgres://app@db:5432/pathways",
      TEMPORAL_ADDRESS: "temporal.internal:7233",
      TEMPORAL_TLS: true,
      PORT: 8080,
    });
  });

  it("names every bad setting in one message", () => {
    let error: unknown;
    try {
      parseConfig({ PORT: "eighty", DATABASE_URL: "mysql://x", TEMPORAL_TLS_CERT: "cert" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain("PORT:");
    expect(message).toContain("DATABASE_URL: must be a postgres:// URL");
    expect(message).toContain("TEMPORAL_TLS_KEY: set both TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY, or neither");
  });

  it("bounds the export threads and their queue (decision 037): one thread and 16 waiting unless told", () => {
    expect(parseConfig({})).toMatchObject({ EXPORT_THREADS: 1, EXPORT_QUEUE: 16 });
    expect(parseConfig({ EXPORT_THREADS: "0", EXPORT_QUEUE: "0" })).toMatchObject({ EXPORT_THREADS: 0, EXPORT_QUEUE: 0 });
    expect(() => parseConfig({ EXPORT_THREADS: "-1" })).toThrow(/EXPORT_THREADS/);
    expect(() => parseConfig({ EXPORT_QUEUE: "many" })).toThrow(/EXPORT_QUEUE/);
  });

  it("opens no health port unless told; 0 asks for any free port; PostgreSQL only (decision 040)", () => {
    expect(parseConfig({}).HEALTH_PORT).toBeUndefined();
    expect(parseConfig({}).HEALTH_STALL_MS).toBe(10_000);
    const pg = { DATABASE_URL: "postgres://app@db:5432/pathways" };
    expect(parseConfig({ ...pg, HEALTH_PORT: "0" }).HEALTH_PORT).toBe(0);
    expect(parseConfig({ ...pg, HEALTH_PORT: "3001", HEALTH_STALL_MS: "2000" })).toMatchObject({
      HEALTH_PORT: 3001,
      HEALTH_STALL_MS: 2000,
    });
    expect(() => parseConfig({ ...pg, HEALTH_PORT: "health" })).toThrow(/HEALTH_PORT/);
    expect(() => parseConfig({ ...pg, HEALTH_PORT: "70000" })).toThrow(/HEALTH_PORT/);
    expect(() => parseConfig({ ...pg, HEALTH_STALL_MS: "50" })).toThrow(/HEALTH_STALL_MS/);
    expect(parseConfig({}).HEALTH_NICE).toBe(-10);
    expect(parseConfig({ HEALTH_NICE: "0" }).HEALTH_NICE).toBe(0);
    expect(() => parseConfig({ HEALTH_NICE: "-21" })).toThrow(/HEALTH_NICE/);
    expect(() => parseConfig({ HEALTH_NICE: "high" })).toThrow(/HEALTH_NICE/);
    // The embedded database lives in the main thread: the health port cannot reach it on its own.
    expect(() => parseConfig({ HEALTH_PORT: "0" })).toThrow(/HEALTH_PORT: needs DATABASE_URL/);
  });
});
