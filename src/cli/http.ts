/** Requests to the running cluster's parts; what fails is a {@link CliError} naming the URL. */
import { CliError } from './cli-error';

const TIMEOUT_MS = 10_000;

export async function request(
  url: string,
  init: { method?: string; body?: unknown } = {},
): Promise<{ status: number; text: string }> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method ?? 'GET',
      headers: init.body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: init.body === undefined ? null : JSON.stringify(init.body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new CliError(`${url} does not answer (${(error as Error).cause ?? (error as Error).message})`);
  }
  return { status: response.status, text: await response.text() };
}

/** GET a JSON document; anything but a 2xx with JSON is an error saying what came back. */
export async function getJson(url: string): Promise<unknown> {
  const { status, text } = await request(url);
  if (status < 200 || status > 299) throw new CliError(`${url} answered ${status}: ${text.slice(0, 300)}`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new CliError(`${url} answered something that is not JSON`);
  }
}

/** Whether a part answers at all (any HTTP status). */
export async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(3000) });
    return true;
  } catch {
    return false;
  }
}
