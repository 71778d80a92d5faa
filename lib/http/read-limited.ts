/**
 * The request body as text, or null when it is larger than `limit` bytes. A declared
 * Content-Length over the limit is refused before anything is read; otherwise the stream is read
 * chunk by chunk and cancelled as soon as the count passes the limit, so a missing or false
 * length cannot make the server hold more than the limit plus one chunk.
 */
export async function readTextWithin(request: Request, limit: number): Promise<string | null> {
  if (Number(request.headers.get("content-length")) > limit) return null;
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel("body too large");
      return null;
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}
