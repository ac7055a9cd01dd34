import semver from 'semver';
import { NODE_ENGINES } from '../plan/base-project.js';

/**
 * One line for when the Node running this CLI cannot run the project it writes (the CLI runs on
 * an older Node than generated projects target), else undefined.
 */
export function nodeSupportWarning(version: string = process.version): string | undefined {
  if (semver.satisfies(version, NODE_ENGINES)) return undefined;
  return `This project needs Node ${NODE_ENGINES} to run; this is Node ${semver.clean(version) ?? version}: install a newer Node (e.g. 24 LTS) before npm run dev.`;
}
