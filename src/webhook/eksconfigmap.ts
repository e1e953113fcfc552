import type { BackendFactory } from './backends.js';

/**
 * Creates the EKSConfigMap backend: the live kube-system/aws-auth ConfigMap, watched with the
 * reference's semantics (no initial list, ADDED and MODIFIED replace the mappings, DELETED clears
 * them, a failed watch is retried after 5 s and counted in `configmap_watch_failures_total`). The
 * Kubernetes client is imported only when this backend is configured.
 */
export const createEksConfigMapBackend: BackendFactory = async (context) => {
  const { createEksConfigMapSource, loadKubeConfig } = await import('../kube/index.js');
  const { kubeConfig } = await loadKubeConfig({
    ...(context.settings.kubeconfig ? { kubeconfig: context.settings.kubeconfig } : {}),
    env: process.env,
    cwd: process.cwd(),
  });
  const master = context.settings.master;
  if (master) {
    // `server.master` overrides the API server URL of the kubeconfig's current cluster, like client-go.
    const current = kubeConfig.getCurrentCluster();
    kubeConfig.clusters = kubeConfig.clusters.map((cluster) => (cluster.name === current?.name ? { ...cluster, server: master } : cluster));
  }

  const source = createEksConfigMapSource({
    kubeConfig,
    name: context.name,
    reservedPrefixes: context.reservedPrefixes,
    ssoRoleMatch: context.settings.ssoRoleMatch ?? false,
    onWatchFailure: (error) => {
      context.metrics.configmapWatchFailures.inc();
      context.logger.warn({ backend: context.name, code: error.code, err: error.message }, 'aws-auth watch failed; retrying');
    },
    onChange: (event) => {
      context.mappingChanged?.();
      context.logger.info({ backend: context.name, event: event.type }, 'aws-auth changed');
    },
  });
  context.logger.info({ backend: context.name, server: kubeConfig.getCurrentCluster()?.server ?? '' }, 'watching kube-system/aws-auth');
  // The source calls onChange after each event that replaced its mappings, so it reports every change.
  return { source, reportsChanges: true, close: () => source.stop() };
};
