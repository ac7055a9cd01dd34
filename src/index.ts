// The library behind the CLI (`import { stageProject } from 'create-provider-app'`): each command
// stages its changes in memory, and a separate call writes them, so a caller can preview first.

export type { Endpoint, EnvVarDefinition, PluginDefinition } from '../generators/define-plugin.js';
export { registry } from '../generators/index.js';
export type { AddOptions, StagedAdd } from './add.js';
export { commitAdd, stageAdd } from './add.js';
export type { CreateOptions, StagedProject } from './create.js';
export { commitProject, stageProject } from './create.js';
export type { Diagnosis, PluginDiagnosis } from './doctor.js';
export { diagnose } from './doctor.js';
export { UserError } from './errors.js';
export type { PlannedFile, ProjectInput, ProjectPlan } from './plan/plan-project.js';
export { planProject } from './plan/plan-project.js';
