import type { KubeConfig } from '@kubernetes/client-node';
import type { BackendFactory } from './backends.js';

/**
 * Creates the CRD backend: the cluster's IAMIdentityMappings (`iamauthenticator.k8s.aws/v1alpha1`),
 * listed and watched, with the controller that writes `status.canonicalARN` and records a `Synced`
 * Event. Every change of a mapping bumps the chain's mapping generation, so no reused response
 * outlives it. Failed lists and watches are retried after 5 s, logged, and counted in
 * `kubeiam_mapping_source_errors_total{key="watch"}`; failed status writes in `{key="status"}`.
 * webhook.ts imports this module only when `CRD` is configured.
 */
export const createCrdBackend: BackendFactory = async (context) => {
  const [{ loadKubeConfig }, { createIamIdentityMappingSource }] = await Promise.all([
    import('../kube/kubeconfig.js'),
    import('../kube/iamidentitymapping-source.js'),
  ]);
  const { kubeConfig } = await loadKubeConfig({
    ...(context.settings.kubeconfig ? { kubeconfig: context.settings.kubeconfig } : {}),
    env: process.env,
    cwd: process.cwd(),
  });
  overrideServer(kubeConfig, context.settings.master);

  const source = createIamIdentityMappingSource({
    kubeConfig,
    name: context.name,
    reservedPrefixes: context.reservedPrefixes,
    clock: context.clock,
    onWatchFailure: (error) => {
      context.metrics.mappingSourceErrors.inc({ source: context.name, key: 'watch' });
      context.logger.warn({ backend: context.name, code: error.code, err: error.message }, 'IAMIdentityMapping list or watch failed; retrying');
    },
    onChange: (event) => {
      context.mappingChanged?.();
      context.logger.info({ backend: context.name, event: event.type, mapping: event.mapping.name, resourceVersion: event.mapping.resourceVersion }, 'IAMIdentityMapping changed');
    },
    onSynced: (mapping, canonicalArn) => {
      context.logger.info({ backend: context.name, mapping: mapping.name, canonicalARN: canonicalArn }, 'IAMIdentityMapping status synced');
    },
    onSyncError: (name, error, requeued) => {
      context.metrics.mappingSourceErrors.inc({ source: context.name, key: 'status' });
      context.logger.error({ backend: context.name, mapping: name, err: error.message, requeued }, 'IAMIdentityMapping not synced');
    },
  });
  context.logger.info({ backend: context.name, server: kubeConfig.getCurrentCluster()?.server ?? '' }, 'watching IAMIdentityMappings');
  // onChange runs for every event that changed the cache, so the backend reports every change.
  return { source, reportsChanges: true, close: () => source.stop() };
};

/** Applies `server.master`: it replaces the API server URL of the kubeconfig's current cluster, like client-go. */
function overrideServer(kubeConfig: KubeConfig, master: string | undefined): void {
  if (!master) return;
  const current = kubeConfig.getCurrentCluster();
  kubeConfig.clusters = kubeConfig.clusters.map((cluster) => (cluster.name === current?.name ? { ...cluster, server: master } : cluster));
}
