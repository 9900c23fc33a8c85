/** Options every command accepts (PRODUCT.md, "Commands"), as commander hands them over. */
export interface CommonOptions {
  blueprint?: string;
  config?: string;
  region?: string;
  profile?: string;
  endpointUrl?: string;
  yes?: boolean;
  /** commander's `--no-input` negation: false when the flag is given. */
  input?: boolean;
  output?: 'text' | 'json';
  stateDir?: string;
  name?: string;
  set?: string[];
  watch?: boolean;
  signal?: AbortSignal;
}

/** The flags that reconnect to the same account and endpoint, for the equivalent command we print. */
export function connectionFlags(options: CommonOptions): string[] {
  return [
    ...(options.region ? [`--region ${options.region}`] : []),
    ...(options.profile ? [`--profile ${options.profile}`] : []),
    ...(options.endpointUrl ? [`--endpoint-url ${options.endpointUrl}`] : []),
    ...(options.output === 'json' ? ['--output json'] : []),
  ];
}
