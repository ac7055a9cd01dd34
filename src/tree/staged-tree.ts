import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Volume } from 'memfs';

/** One file a command will write: new, or replacing the content it had when read. */
export interface FileChange {
  path: string;
  type: 'create' | 'update';
  content: string;
  /** The content on disk when it was read; absent for new files. */
  original?: string;
}

/** Reads a file of the real project; undefined when it does not exist. */
export type ReadOriginal = (relativePath: string) => string | undefined;

/** Reads files of the project at `root` from disk. */
export function readFromDisk(root: string): ReadOriginal {
  return (relativePath) => {
    const file = path.join(root, relativePath);
    return existsSync(file) && statSync(file).isFile() ? readFileSync(file, 'utf8') : undefined;
  };
}

/**
 * The files a command will write, held in memory (memfs) until commit. Reads fall through to
 * the real project, so an edit sees the current content; writing back identical bytes is no change.
 */
export class StagedTree {
  private readonly volume = new Volume();
  private readonly originals = new Map<string, string | undefined>();

  constructor(private readonly readOriginal: ReadOriginal = () => undefined) {}

  /** Current content of a project file: staged if written, else as on disk. */
  read(relativePath: string): string | undefined {
    const file = toVolumePath(relativePath);
    if (this.volume.existsSync(file)) return this.volume.readFileSync(file, 'utf8') as string;
    return this.original(relativePath);
  }

  /** Stages new content; the same bytes as on disk un-stage the file. */
  write(relativePath: string, content: string): void {
    const file = toVolumePath(relativePath);
    if (content === this.original(relativePath)) {
      if (this.volume.existsSync(file)) this.volume.unlinkSync(file);
      return;
    }
    this.volume.mkdirSync(path.posix.dirname(file), { recursive: true });
    this.volume.writeFileSync(file, content);
  }

  /** Applies an idempotent edit to a file; an edit returning its input changes nothing. */
  edit(relativePath: string, transform: (content: string | undefined) => string): void {
    this.write(relativePath, transform(this.read(relativePath)));
  }

  /** Every staged file, sorted by path. */
  changes(): FileChange[] {
    const staged = Object.entries(this.volume.toJSON()) as [string, string | null][];
    return staged
      .filter((entry): entry is [string, string] => entry[1] !== null)
      .map(([file, content]) => {
        const relativePath = file.slice(1);
        const original = this.original(relativePath);
        return original === undefined
          ? { path: relativePath, type: 'create' as const, content }
          : { path: relativePath, type: 'update' as const, content, original };
      })
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  private original(relativePath: string): string | undefined {
    if (!this.originals.has(relativePath)) this.originals.set(relativePath, this.readOriginal(relativePath));
    return this.originals.get(relativePath);
  }
}

function toVolumePath(relativePath: string): string {
  const normalized = path.posix.normalize(relativePath);
  if (path.posix.isAbsolute(normalized) || normalized.startsWith('..')) {
    throw new Error(`Refusing to stage ${relativePath}: it is outside the project.`);
  }
  return `/${normalized}`;
}
