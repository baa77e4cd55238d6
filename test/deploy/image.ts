import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, posix, relative } from 'node:path';
import { copyArgs, dockerignore, execForm, keyValues, type Stage, substitute } from './dockerfile.js';

/** What `docker inspect` would say of a built image: how its container starts. */
export interface ImageConfig {
  env: Record<string, string>;
  workdir: string;
  user?: string;
  cmd: string[];
  healthcheck?: string[];
  /** The stage's file system, where the container's `/` is. */
  rootfs: string;
}

export interface BuilderOptions {
  /** The build context (the repository). */
  context: string;
  /** An empty folder; each stage's file system becomes a folder in it. */
  work: string;
  /** RUN commands satisfied another, equivalent way, keyed by their exact text. */
  equivalents?: Record<string, (cwd: string) => void>;
}

/** The node images' `node` user, for hosts that have none. */
export const NODE_UID = 1000;

/**
 * Reproduces Dockerfile stages without a Docker engine: every COPY (honouring .dockerignore),
 * RUN (`sh -c`, in the stage's WORKDIR, with its ARGs and ENV), WORKDIR, ENV, ARG, USER,
 * EXPOSE, HEALTHCHECK and CMD, with the container's absolute paths mapped into the stage's
 * folder. A filesystem step whose text (after substitution) already ran in a stage is not
 * repeated, so images that differ only in build arguments share their layers, as in Docker.
 */
export class ImageBuilder {
  private readonly done = new Map<string, Set<string>>();
  private readonly ignored: (path: string) => boolean;

  constructor(
    private readonly stages: Stage[],
    private readonly options: BuilderOptions,
  ) {
    const ignoreFile = join(options.context, '.dockerignore');
    this.ignored = dockerignore(existsSync(ignoreFile) ? readFileSync(ignoreFile, 'utf8') : '');
  }

  rootfs(stage: string): string {
    return join(this.options.work, stage);
  }

  /** Builds `target` (and, first, the stages it copies from) with these build arguments. */
  build(target: string, args: Record<string, string>): ImageConfig {
    const stage = this.stages.find((s) => s.name === target);
    if (!stage) throw new Error(`no stage ${target} in the Dockerfile`);
    const rootfs = this.rootfs(stage.name);
    const done = this.done.get(stage.name) ?? new Set<string>();
    this.done.set(stage.name, done);
    const vars: Record<string, string> = {};
    const config: ImageConfig = { env: {}, workdir: '/', cmd: [], rootfs };
    const inside = (path: string) => join(rootfs, posix.resolve(config.workdir, path));
    for (const { op, text: raw } of stage.instructions) {
      const text = substitute(raw, { ...vars, ...config.env });
      const once = (step: () => void) => {
        if (done.has(`${op} ${text}`)) return;
        step();
        done.add(`${op} ${text}`);
      };
      switch (op) {
        case 'ARG': {
          const [name, fallback] = raw.split('=');
          vars[name!] = args[name!] ?? fallback ?? '';
          break;
        }
        case 'ENV':
          Object.assign(config.env, keyValues(text));
          break;
        case 'WORKDIR':
          config.workdir = posix.resolve(config.workdir, text);
          mkdirSync(join(rootfs, config.workdir), { recursive: true });
          break;
        case 'COPY':
          once(() => this.copy(text, inside, args));
          break;
        case 'RUN':
          once(() => this.run(text, join(rootfs, config.workdir), rootfs, { ...vars, ...config.env }));
          break;
        case 'USER':
          config.user = text;
          break;
        case 'HEALTHCHECK':
          config.healthcheck = execForm(text.slice(text.search(/\bCMD\b/)));
          break;
        case 'CMD':
          config.cmd = execForm(text);
          break;
        case 'EXPOSE':
          break;
        default:
          throw new Error(`unsupported Dockerfile instruction ${op}`);
      }
    }
    return config;
  }

  private copy(text: string, inside: (path: string) => string, args: Record<string, string>) {
    const { from, sources, dest } = copyArgs(text);
    if (from) this.build(from, args);
    const target = inside(dest);
    for (const source of sources) {
      const path = from ? join(this.rootfs(from), source) : join(this.options.context, source);
      if (!existsSync(path)) throw new Error(`COPY ${source}: no such file`);
      if (statSync(path).isDirectory() && from) {
        // A folder's contents land in the destination; symlinks stay as they are (node_modules).
        // cp(1): far faster than cpSync on a node_modules tree.
        mkdirSync(target, { recursive: true });
        execFileSync('cp', ['-a', `${path}/.`, target]);
      } else if (statSync(path).isDirectory()) {
        mkdirSync(target, { recursive: true });
        cpSync(path, target, {
          recursive: true,
          verbatimSymlinks: true,
          filter: (p) => !this.ignored(relative(this.options.context, p)),
        });
      } else {
        const file = dest.endsWith('/') || sources.length > 1 ? join(target, basename(source)) : target;
        mkdirSync(join(file, '..'), { recursive: true });
        cpSync(path, file);
      }
    }
  }

  private run(command: string, cwd: string, rootfs: string, env: Record<string, string>) {
    const equivalent = this.options.equivalents?.[command];
    if (equivalent) return equivalent(cwd);
    // The container's top-level folders (/app) live in the stage's folder.
    const mapped = command
      .replace(/(^|[\s"'=])\/(app)\b/g, (_, before: string, top: string) => `${before}${rootfs}/${top}`)
      .replace(/\bchown node:node\b/g, hasUser('node') ? 'chown node:node' : `chown ${NODE_UID}:${NODE_UID}`);
    execFileSync('sh', ['-c', mapped], {
      cwd,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      stdio: 'pipe',
    });
  }
}

function hasUser(name: string): boolean {
  return readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .some((line) => line.startsWith(`${name}:`));
}
