/**
 * Waits until `condition` holds, checking every few milliseconds; fails after `ms` naming
 * `what`. For conditions another party brings about (a server, a child process) — never a fixed
 * sleep standing in for one.
 */
export async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Reads a streamed body until `done(text)` holds or `ms` pass (then fails): a test of a stream
 * can never hang on a read.
 */
export async function readUntil(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  done: (text: string) => boolean,
  ms = 10_000,
): Promise<string> {
  let text = '';
  const decoder = new TextDecoder();
  const timeout = new Promise<never>((_, reject) => {
    setTimeout(
      () => reject(new Error(`stream: timed out after ${ms} ms; read so far: ${text.slice(-300)}`)),
      ms,
    ).unref();
  });
  while (!done(text)) {
    const { value, done: ended } = await Promise.race([reader.read(), timeout]);
    if (ended) throw new Error(`stream ended before the expected text; read: ${text.slice(-300)}`);
    text += decoder.decode(value, { stream: true });
  }
  return text;
}
