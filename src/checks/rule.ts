import type { AppConfig } from '../config/app-config';
import type { AppContext } from '../context/app-context';
import type { ManifestObject } from '../model/object';
import type { Finding } from './finding';

export interface CheckInput {
  app: AppContext;
  config: AppConfig;
  /** Valid objects in render order, each with its identity and scope. */
  objects: readonly ManifestObject[];
}

/** A rule is a pure function of the render: it never reads files or the environment. */
export interface Rule {
  id: string;
  check(input: CheckInput): Finding[];
}
