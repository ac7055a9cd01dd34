import type { TestProject } from 'vitest/node';
import { projectNodePath } from '../../scripts/project-node.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The Node that generated projects are installed, built, tested and started with. */
    projectNode: string;
  }
}

/** Generated projects target Node 22.12+ and run on Node 24 here; the CLI runs on this machine's Node. */
export default function provideProjectNode(project: TestProject): void {
  project.provide('projectNode', projectNodePath());
}
