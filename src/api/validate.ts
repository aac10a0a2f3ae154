/**
 * Small field-by-field readers that turn parsed JSON (`unknown`) into typed values. Each failure raises a
 * {@link ResponseShapeError} naming the field path, e.g. `clusters[3].state is not a string`.
 */

/** A JSON value that does not have the shape the contract promises. */
export class ResponseShapeError extends Error {
  constructor(
    /** The problem, starting with the field path, e.g. `clusters[3].state is not a string`. */
    readonly problem: string,
  ) {
    super(problem);
    this.name = 'ResponseShapeError';
  }
}

export type JsonObject = Readonly<Record<string, unknown>>;

/** Returns `value` as a JSON object, or raises naming `path`. */
export function expectObject(value: unknown, path: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ResponseShapeError(`${path} is not an object`);
  }
  return value as JsonObject;
}

/** Joins an object path and a member name, e.g. `clusters[3]` and `state` to `clusters[3].state`. */
export function memberPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** Reads a required string member. */
export function readString(object: JsonObject, key: string, path: string): string {
  const value = object[key];
  if (typeof value !== 'string') {
    throw new ResponseShapeError(`${memberPath(path, key)} ${value === undefined ? 'is missing' : 'is not a string'}`);
  }
  return value;
}

/** Reads a string member that may be absent or null; both become `undefined`. */
export function readOptionalString(object: JsonObject, key: string, path: string): string | undefined {
  const value = object[key];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw new ResponseShapeError(`${memberPath(path, key)} is not a string`);
  }
  return value;
}

/** Reads a string member that must be present and may be null. */
export function readNullableString(object: JsonObject, key: string, path: string): string | null {
  const value = object[key];
  if (value === null) {
    return null;
  }
  return readString(object, key, path);
}

/** Reads a required finite number member. */
export function readNumber(object: JsonObject, key: string, path: string): number {
  const value = object[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ResponseShapeError(`${memberPath(path, key)} ${value === undefined ? 'is missing' : 'is not a number'}`);
  }
  return value;
}

/** Reads a finite number member that may be absent or null; both become `undefined`. */
export function readOptionalNumber(object: JsonObject, key: string, path: string): number | undefined {
  const value = object[key];
  if (value === undefined || value === null) {
    return undefined;
  }
  return readNumber(object, key, path);
}

/** Reads a required boolean member. */
export function readBoolean(object: JsonObject, key: string, path: string): boolean {
  const value = object[key];
  if (typeof value !== 'boolean') {
    throw new ResponseShapeError(`${memberPath(path, key)} ${value === undefined ? 'is missing' : 'is not a boolean'}`);
  }
  return value;
}

/** Reads a boolean member that may be absent or null; both become `undefined`. */
export function readOptionalBoolean(object: JsonObject, key: string, path: string): boolean | undefined {
  const value = object[key];
  if (value === undefined || value === null) {
    return undefined;
  }
  return readBoolean(object, key, path);
}

/**
 * Reads an identifier that the API may send as a string or as a number, and returns it as a string so
 * callers can put it in a path.
 */
export function readId(object: JsonObject, key: string, path: string): string {
  const value = object[key];
  if (typeof value === 'string' && value !== '') {
    return value;
  }
  if (typeof value === 'number' && Number.isSafeInteger(value)) {
    return String(value);
  }
  throw new ResponseShapeError(`${memberPath(path, key)} ${value === undefined ? 'is missing' : 'is not an id'}`);
}

/**
 * Reads a required array member and validates each item with `readItem(item, itemPath)`, which must be
 * pure. Each item is read with the array's path first, and only an item that fails is read again with
 * its own path (e.g. `clusters[3]`) for the error message, so a valid list of thousands of items builds
 * no path strings.
 */
export function readArray<T>(
  object: JsonObject,
  key: string,
  path: string,
  readItem: (item: unknown, itemPath: string) => T,
): T[] {
  const value = object[key];
  const arrayPath = memberPath(path, key);
  if (!Array.isArray(value)) {
    throw new ResponseShapeError(`${arrayPath} ${value === undefined ? 'is missing' : 'is not an array'}`);
  }
  const items: T[] = [];
  for (let index = 0; index < value.length; index++) {
    const item: unknown = value[index];
    try {
      items.push(readItem(item, arrayPath));
    } catch (error) {
      if (error instanceof ResponseShapeError) {
        readItem(item, `${arrayPath}[${index}]`);
      }
      // Reached for other errors, and for a shape error only if `readItem` is not pure.
      throw error;
    }
  }
  return items;
}

/**
 * Reads a list member that the API leaves out when the list is empty, as many list endpoints do.
 */
export function readListOrEmpty<T>(
  object: JsonObject,
  key: string,
  path: string,
  readItem: (item: unknown, itemPath: string) => T,
): T[] {
  return object[key] === undefined ? [] : readArray(object, key, path, readItem);
}
