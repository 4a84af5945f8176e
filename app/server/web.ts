import { createRequestHandler } from "@remix-run/express";
import type { AppLoadContext, ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import type { Server } from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { AppContext } from "./context";
import { PROJECT_ROOT } from "./temporal-binaries";

/** The HTTP server: static assets plus the Remix request handler with the app's context. */
export async function startWebServer(ctx: AppContext, port: number, host: string): Promise<{ server: Server; url: string }> {
  const build = (await import(pathToFileURL(path.join(PROJECT_ROOT, "build", "index.js")).href)) as ServerBuild;
  const app = express();
  app.disable("x-powered-by");
  app.use(compression());
  app.use("/build", express.static(path.join(PROJECT_ROOT, "public", "build"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(PROJECT_ROOT, "public"), { maxAge: "1h" }));
  app.all("*", createRequestHandler({ build, mode: "production", getLoadContext: () => ctx as unknown as AppLoadContext }));
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(port, host, () => resolve(s));
    s.once("error", reject);
  });
  const actual = (server.address() as { port: number }).port;
  const shown = host === "0.0.0.0" || host === "::" ? "localhost" : host;
  return { server, url: `http://${shown}:${actual}` };
}
