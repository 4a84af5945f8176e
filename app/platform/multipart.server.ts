import { unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";
import { createWriteStream, openAsBlob } from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";

/**
 * Multipart forms read with limits that hold while the body streams in: the declared length is
 * checked first, then the bytes actually read, the number of parts and of files, and each part's
 * size. Reading stops at the first part over a limit; no part is held beyond its limit.
 */

export interface MultipartLimits {
  /** Bytes of the whole body. */
  maxBodyBytes: number;
  /** Bytes of one file. */
  maxFileBytes: number;
  /** Files (parts with a file name, empty ones included). */
  maxFiles: number;
  /** Parts of any kind. */
  maxParts?: number;
  /** Bytes of one text field. */
  maxFieldBytes?: number;
  /**
   * A folder (the caller's, removed by the caller when done) where files wait on disk instead of
   * in memory; the form's File values then read from there.
   */
  spillDir?: string;
}

export type MultipartRefusal = "body" | "file" | "files" | "parts" | "field" | "malformed";

export class MultipartLimitError extends Error {
  constructor(
    readonly reason: MultipartRefusal,
    readonly status: 400 | 413,
  ) {
    super(`multipart refused: ${reason}`);
  }
}

const DEFAULT_MAX_PARTS = 200;
const DEFAULT_MAX_FIELD_BYTES = 256 * 1024;

/** The body's stream, failing once more than `max` bytes have come through. */
function limitedBody(body: ReadableStream<Uint8Array>, max: number): ReadableStream<Uint8Array> {
  let seen = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > max) controller.error(new MultipartLimitError("body", 413));
        else controller.enqueue(chunk);
      },
    }),
  );
}

async function collect(data: AsyncIterable<Uint8Array>, max: number, reason: MultipartRefusal): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of data) {
    size += chunk.byteLength;
    if (size > max) throw new MultipartLimitError(reason, 413);
    chunks.push(chunk);
  }
  return chunks;
}

/** Writes a file part to disk, stopping at the limit; the File reads from the disk. */
async function spill(data: AsyncIterable<Uint8Array>, max: number, file: string, name: string, type: string): Promise<File> {
  const out = createWriteStream(file, { flags: "wx" });
  const writer = Writable.toWeb(out).getWriter();
  let size = 0;
  try {
    for await (const chunk of data) {
      size += chunk.byteLength;
      if (size > max) throw new MultipartLimitError("file", 413);
      await writer.write(chunk);
    }
    await writer.close();
  } catch (e) {
    await writer.abort(e).catch(() => {});
    throw e;
  }
  return new File([await openAsBlob(file)], name, { type });
}

/** Reads a multipart form within the limits; throws MultipartLimitError when a limit is passed. */
export async function readMultipartForm(request: Request, limits: MultipartLimits): Promise<FormData> {
  const declared = request.headers.get("Content-Length");
  if (declared !== null && Number(declared) > limits.maxBodyBytes) throw new MultipartLimitError("body", 413);
  if (!request.body) throw new MultipartLimitError("malformed", 400);
  const maxParts = limits.maxParts ?? DEFAULT_MAX_PARTS;
  const maxFieldBytes = limits.maxFieldBytes ?? DEFAULT_MAX_FIELD_BYTES;
  let parts = 0;
  let files = 0;
  const handler: UploadHandler = async ({ filename, contentType, data }) => {
    if (++parts > maxParts) throw new MultipartLimitError("parts", 413);
    if (filename === undefined) {
      const chunks = await collect(data, maxFieldBytes, "field");
      return new TextDecoder().decode(Buffer.concat(chunks));
    }
    if (++files > limits.maxFiles) throw new MultipartLimitError("files", 413);
    if (limits.spillDir)
      return spill(data, limits.maxFileBytes, path.join(limits.spillDir, String(files)), filename, contentType);
    const chunks = await collect(data, limits.maxFileBytes, "file");
    return new File(chunks as BlobPart[], filename, { type: contentType });
  };
  const limited = new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body: limitedBody(request.body, limits.maxBodyBytes),
    duplex: "half",
  } as RequestInit);
  try {
    return await unstable_parseMultipartFormData(limited, handler);
  } catch (e) {
    if (e instanceof MultipartLimitError) throw e;
    if (e instanceof TypeError) throw new MultipartLimitError("malformed", 400);
    throw e;
  }
}
