/** The @kubernetes/client-node module. Importing it took about 0.8 s and 70 MB on a 2-CPU machine. */
export type ClientNode = typeof import('@kubernetes/client-node');

let loading: Promise<ClientNode> | undefined;

/** Imports @kubernetes/client-node on first use, so that importing the kubeiam library stays fast. */
export function loadClientNode(): Promise<ClientNode> {
  loading ??= import('@kubernetes/client-node');
  return loading;
}
