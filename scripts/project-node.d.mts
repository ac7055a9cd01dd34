export declare const PROJECT_NODE_MAJOR: number;
/** Path of the Node 24 binary, fetched from the registry on first use. */
export declare function projectNodePath(): string;
/** An environment whose `node`, `npm` and `npx` run on `node`. */
export declare function envWithNode(node: string, env?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
