/** Marathon's error answers: `{"message", "details": [{"path", "errors"}]}` with its status codes. */

export interface ErrorDetail {
  path: string;
  errors: string[];
}

export class MarathonError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: Record<string, unknown> = { message },
  ) {
    super(message);
  }
}

/** 422, as Marathon answers a definition that fails validation. */
export function invalid(details: ErrorDetail[]): MarathonError {
  return new MarathonError(422, 'Object is not valid', { message: 'Object is not valid', details });
}

export function notFound(message: string): MarathonError {
  return new MarathonError(404, message);
}

/** Collects validation errors by JSON path (Marathon writes array members as `/constraints(0)`). */
export class Problems {
  readonly details: ErrorDetail[] = [];

  add(path: string, error: string): void {
    const existing = this.details.find((d) => d.path === path);
    if (existing) existing.errors.push(error);
    else this.details.push({ path, errors: [error] });
  }

  throwIfAny(): void {
    if (this.details.length > 0) throw invalid(this.details);
  }
}
