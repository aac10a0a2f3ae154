/** Handlers of the notebook operations: list a folder, export a notebook, create a notebook. */
import type { ApiHandler } from './api-request';
import { invalidParameter, invalidState, notFound } from './http';
import { pageBody, paginate } from './pagination';
import { NOTEBOOK_LANGUAGES, type NotebookLanguage, type NotebookObject } from './types';

const MAX_PATH_LENGTH = 1024;
const ROOT = '/';

/**
 * Throws 400 unless `path` is an absolute workspace path: starts with `/`, no empty, `.` or `..`
 * segment, no trailing `/` (except the root), no control characters.
 */
function validatePath(path: unknown, name: string): string {
  if (typeof path !== 'string' || path === '') {
    throw invalidParameter(`The ${name} parameter is missing.`);
  }
  const invalid = (reason: string) => invalidParameter(`Invalid ${name} "${path.slice(0, 200)}": ${reason}.`);
  if (!path.startsWith('/')) {
    throw invalid('it must start with /');
  }
  if (path.length > MAX_PATH_LENGTH) {
    throw invalid(`it is longer than ${MAX_PATH_LENGTH} characters`);
  }
  if (/[\u0000-\u001f\u007f]/.test(path)) {
    throw invalid('it contains control characters');
  }
  if (path === ROOT) {
    return path;
  }
  const segments = path.slice(1).split('/');
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
    throw invalid('it contains an empty, "." or ".." segment, or ends with /');
  }
  return path;
}

function parentOf(path: string): string {
  const index = path.lastIndexOf('/');
  return index === 0 ? ROOT : path.slice(0, index);
}

/** Returns the listed form of an object: everything but the notebook content. */
function listEntry(object: NotebookObject): Omit<NotebookObject, 'content'> {
  const { content: _content, ...entry } = object;
  return entry;
}

/** Orders by code point, so the order does not depend on the locale. */
function compareByPath(left: NotebookObject, right: NotebookObject): number {
  if (left.path === right.path) {
    return 0;
  }
  return left.path < right.path ? -1 : 1;
}

const listNotebookFolder: ApiHandler = (request) => {
  const path = validatePath(request.query.get('path'), 'path');
  const folder = request.core.state.notebooks.get(path);
  if (path !== ROOT && folder === undefined) {
    throw notFound(`Folder ${path} does not exist.`);
  }
  if (folder !== undefined && folder.object_type !== 'DIRECTORY') {
    throw invalidParameter(`${path} is a notebook, not a folder.`);
  }
  const children = [...request.core.state.notebooks.values()]
    .filter((object) => parentOf(object.path) === path)
    .sort(compareByPath)
    .map(listEntry);
  return pageBody('objects', paginate(children, request.query, 'objects', path));
};

const exportNotebook: ApiHandler = (request) => {
  const path = validatePath(request.query.get('path'), 'path');
  const format = request.query.get('format');
  if (format !== null && format !== 'SOURCE') {
    throw invalidParameter(`Invalid format "${format}": only SOURCE is supported.`);
  }
  const notebook = request.core.state.notebooks.get(path);
  if (notebook === undefined) {
    throw notFound(`Notebook ${path} does not exist.`);
  }
  if (notebook.object_type !== 'NOTEBOOK') {
    throw invalidParameter(`${path} is a folder, not a notebook.`);
  }
  return { content: notebook.content ?? '', language: notebook.language };
};

function parseLanguage(value: unknown): NotebookLanguage {
  if (!(NOTEBOOK_LANGUAGES as readonly unknown[]).includes(value)) {
    throw invalidParameter(`Invalid language: use one of ${NOTEBOOK_LANGUAGES.join(', ')}.`);
  }
  return value as NotebookLanguage;
}

function parseBase64(value: unknown): string {
  if (typeof value !== 'string' || value.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) {
    throw invalidParameter('Invalid content: expected standard padded base64.');
  }
  return value;
}

const createNotebook: ApiHandler = (request) => {
  const { body, core } = request;
  const path = validatePath(body['path'], 'path');
  if (path === ROOT) {
    throw invalidParameter('Invalid path "/": a notebook needs a name.');
  }
  const language = parseLanguage(body['language']);
  const content = parseBase64(body['content']);
  const overwrite = body['overwrite'] ?? false;
  if (typeof overwrite !== 'boolean') {
    throw invalidParameter('Invalid overwrite: expected a boolean.');
  }

  const parentPath = parentOf(path);
  const parent = core.state.notebooks.get(parentPath);
  if (parentPath !== ROOT && parent === undefined) {
    throw notFound(`Folder ${parentPath} does not exist.`);
  }
  if (parent !== undefined && parent.object_type !== 'DIRECTORY') {
    throw invalidParameter(`${parentPath} is a notebook, not a folder.`);
  }

  const existing = core.state.notebooks.get(path);
  if (existing?.object_type === 'DIRECTORY') {
    throw invalidState(`${path} is a folder; a notebook cannot replace it.`);
  }
  if (existing !== undefined && !overwrite) {
    throw invalidState(`A notebook already exists at ${path}; set overwrite to true to replace it.`);
  }
  const notebook: NotebookObject = {
    path,
    object_type: 'NOTEBOOK',
    language,
    object_id: existing?.object_id ?? core.state.nextIds.object++,
    modified_at: core.now(),
    content,
  };
  core.state.notebooks.set(path, notebook);
  return listEntry(notebook);
};

export const NOTEBOOK_HANDLERS = {
  listNotebookFolder,
  exportNotebook,
  createNotebook,
} satisfies Record<string, ApiHandler>;
