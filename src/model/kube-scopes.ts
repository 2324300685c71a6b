// Scope of kinds the render may contain, as data. Kubernetes kinds come from the API served by
// Kubernetes v1.32 (`kubectl api-resources`, NAMESPACED column, all GA and beta groups). The
// well-known CRD kinds come from those projects' published CRDs (spec.scope). Neither part can be
// redefined by the render or by an app's `scopes:` (issue 8 §3); the precedence of every source is in
// src/model/resolve.ts. A kind in none of them is "Unknown".
// Keys are `group/Kind` with "" for the core group.

/** The API groups Kubernetes serves itself (v1.32, plus `extensions`, which older clusters served).
 * A CRD cannot define a kind in one of them: the API server refuses a CRD whose group has no dot
 * (core, apps, batch, policy, autoscaling, extensions) and, since apiextensions v1, one in k8s.io or
 * kubernetes.io without the `api-approved.kubernetes.io` annotation of a reviewed Kubernetes API; and
 * even an accepted one is shadowed by the built-in API for the built-in kinds. */
const KUBERNETES_GROUPS: ReadonlySet<string> = new Set([
  '',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'apps',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'events.k8s.io',
  'extensions',
  'flowcontrol.apiserver.k8s.io',
  'internal.apiserver.k8s.io',
  'networking.k8s.io',
  'node.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'resource.k8s.io',
  'scheduling.k8s.io',
  'storage.k8s.io',
  'storagemigration.k8s.io',
]);

/** Cluster-scoped kinds of Kubernetes itself: authoritative, an app's `scopes:` cannot change them. */
const KUBERNETES_CLUSTER = [
  // core
  '/Namespace',
  '/Node',
  '/PersistentVolume',
  '/ComponentStatus',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
  'admissionregistration.k8s.io/MutatingAdmissionPolicy',
  'admissionregistration.k8s.io/MutatingAdmissionPolicyBinding',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'apiregistration.k8s.io/APIService',
  'authentication.k8s.io/TokenReview',
  'authentication.k8s.io/SelfSubjectReview',
  'authorization.k8s.io/SubjectAccessReview',
  'authorization.k8s.io/SelfSubjectAccessReview',
  'authorization.k8s.io/SelfSubjectRulesReview',
  'certificates.k8s.io/CertificateSigningRequest',
  'certificates.k8s.io/ClusterTrustBundle',
  'flowcontrol.apiserver.k8s.io/FlowSchema',
  'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration',
  'internal.apiserver.k8s.io/StorageVersion',
  'networking.k8s.io/IngressClass',
  'networking.k8s.io/IPAddress',
  'networking.k8s.io/ServiceCIDR',
  'node.k8s.io/RuntimeClass',
  'policy/PodSecurityPolicy',
  'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
  'resource.k8s.io/DeviceClass',
  'resource.k8s.io/ResourceSlice',
  'scheduling.k8s.io/PriorityClass',
  'storage.k8s.io/CSIDriver',
  'storage.k8s.io/CSINode',
  'storage.k8s.io/StorageClass',
  'storage.k8s.io/VolumeAttachment',
  'storage.k8s.io/VolumeAttributesClass',
  'storagemigration.k8s.io/StorageVersionMigration',
];

/** Cluster-scoped kinds of well-known CRDs, from their published CRDs. Only the platform policy's
 * `scopes:` may correct them; a CRD in the render or an app's `scopes:` that disagrees is a finding. */
const WELL_KNOWN_CLUSTER = [
  'cert-manager.io/ClusterIssuer',
  'gateway.networking.k8s.io/GatewayClass',
  'operators.coreos.com/Operator',
  'config.openshift.io/ClusterVersion',
  'config.openshift.io/ClusterOperator',
  'config.openshift.io/OAuth',
  'config.openshift.io/Ingress',
  'config.openshift.io/Image',
  'config.openshift.io/Proxy',
  'config.openshift.io/Console',
  'config.openshift.io/Scheduler',
  'config.openshift.io/Network',
  'config.openshift.io/APIServer',
  'config.openshift.io/Authentication',
  'config.openshift.io/FeatureGate',
  'console.openshift.io/ConsoleLink',
  'console.openshift.io/ConsoleNotification',
  'console.openshift.io/ConsolePlugin',
  'console.openshift.io/ConsoleCLIDownload',
  'console.openshift.io/ConsoleQuickStart',
  'console.openshift.io/ConsoleYAMLSample',
  'machineconfiguration.openshift.io/MachineConfig',
  'machineconfiguration.openshift.io/MachineConfigPool',
  'machineconfiguration.openshift.io/KubeletConfig',
  'machineconfiguration.openshift.io/ContainerRuntimeConfig',
  'security.openshift.io/SecurityContextConstraints',
  'project.openshift.io/Project',
  'project.openshift.io/ProjectRequest',
  'user.openshift.io/Group',
  'user.openshift.io/User',
  'quota.openshift.io/ClusterResourceQuota',
  'snapshot.storage.k8s.io/VolumeSnapshotClass',
  'snapshot.storage.k8s.io/VolumeSnapshotContent',
  'external-secrets.io/ClusterSecretStore',
  'external-secrets.io/ClusterExternalSecret',
  'kyverno.io/ClusterPolicy',
  'wgpolicyk8s.io/ClusterPolicyReport',
  'cilium.io/CiliumClusterwideNetworkPolicy',
  'cilium.io/CiliumNode',
  'cilium.io/CiliumIdentity',
  'cilium.io/CiliumLoadBalancerIPPool',
  'cilium.io/CiliumBGPClusterConfig',
  'cilium.io/CiliumL2AnnouncementPolicy',
  'crd.projectcalico.org/GlobalNetworkPolicy',
  'projectcalico.org/GlobalNetworkPolicy',
  'templates.gatekeeper.sh/ConstraintTemplate',
  'scheduling.volcano.sh/Queue',
  'nfd.k8s-sigs.io/NodeFeatureRule',
  'nvidia.com/ClusterPolicy',
];

/** Namespaced kinds of Kubernetes itself: authoritative too. */
const KUBERNETES_NAMESPACED = [
  '/Pod',
  '/Service',
  '/ConfigMap',
  '/Secret',
  '/ServiceAccount',
  '/Endpoints',
  '/Event',
  '/LimitRange',
  '/PersistentVolumeClaim',
  '/PodTemplate',
  '/ReplicationController',
  '/ResourceQuota',
  '/Binding',
  'apps/Deployment',
  'apps/StatefulSet',
  'apps/DaemonSet',
  'apps/ReplicaSet',
  'apps/ControllerRevision',
  'autoscaling/HorizontalPodAutoscaler',
  'batch/Job',
  'batch/CronJob',
  'coordination.k8s.io/Lease',
  'discovery.k8s.io/EndpointSlice',
  'networking.k8s.io/Ingress',
  'networking.k8s.io/NetworkPolicy',
  'policy/PodDisruptionBudget',
  'rbac.authorization.k8s.io/Role',
  'rbac.authorization.k8s.io/RoleBinding',
  'storage.k8s.io/CSIStorageCapacity',
  'authorization.k8s.io/LocalSubjectAccessReview',
  'resource.k8s.io/ResourceClaim',
  'resource.k8s.io/ResourceClaimTemplate',
];

/** Namespaced kinds of well-known CRDs, with the same standing as the cluster-scoped ones above. */
const WELL_KNOWN_NAMESPACED = [
  'argoproj.io/Application',
  'argoproj.io/ApplicationSet',
  'argoproj.io/AppProject',
  'argoproj.io/Rollout',
  'argoproj.io/AnalysisTemplate',
  'argoproj.io/Workflow',
  'argoproj.io/WorkflowTemplate',
  'argoproj.io/CronWorkflow',
  'argoproj.io/ArgoCD',
  'argoproj.io/EventSource',
  'argoproj.io/Sensor',
  'argoproj.io/EventBus',
  'cert-manager.io/Certificate',
  'cert-manager.io/Issuer',
  'cert-manager.io/CertificateRequest',
  'gateway.networking.k8s.io/Gateway',
  'gateway.networking.k8s.io/HTTPRoute',
  'gateway.networking.k8s.io/GRPCRoute',
  'gateway.networking.k8s.io/TCPRoute',
  'gateway.networking.k8s.io/TLSRoute',
  'gateway.networking.k8s.io/UDPRoute',
  'gateway.networking.k8s.io/ReferenceGrant',
  'monitoring.coreos.com/ServiceMonitor',
  'monitoring.coreos.com/PodMonitor',
  'monitoring.coreos.com/PrometheusRule',
  'monitoring.coreos.com/Prometheus',
  'monitoring.coreos.com/Alertmanager',
  'monitoring.coreos.com/AlertmanagerConfig',
  'monitoring.coreos.com/Probe',
  'monitoring.coreos.com/ScrapeConfig',
  'monitoring.coreos.com/ThanosRuler',
  'operators.coreos.com/Subscription',
  'operators.coreos.com/OperatorGroup',
  'operators.coreos.com/CatalogSource',
  'operators.coreos.com/ClusterServiceVersion',
  'operators.coreos.com/InstallPlan',
  'operators.coreos.com/OperatorCondition',
  'route.openshift.io/Route',
  'apps.openshift.io/DeploymentConfig',
  'build.openshift.io/BuildConfig',
  'image.openshift.io/ImageStream',
  'image.openshift.io/ImageStreamImport',
  'template.openshift.io/Template',
  'operator.openshift.io/IngressController',
  'cluster.x-k8s.io/Cluster',
  'cluster.x-k8s.io/MachineDeployment',
  'cluster.x-k8s.io/Machine',
  'snapshot.storage.k8s.io/VolumeSnapshot',
  'external-secrets.io/ExternalSecret',
  'external-secrets.io/SecretStore',
  'external-secrets.io/PushSecret',
  'bitnami.com/SealedSecret',
  'kyverno.io/Policy',
  'traefik.io/IngressRoute',
  'traefik.io/Middleware',
  'traefik.containo.us/IngressRoute',
  'traefik.containo.us/Middleware',
  'networking.istio.io/VirtualService',
  'networking.istio.io/DestinationRule',
  'networking.istio.io/Gateway',
  'security.istio.io/AuthorizationPolicy',
  'security.istio.io/PeerAuthentication',
  'cilium.io/CiliumNetworkPolicy',
  'keda.sh/ScaledObject',
  'keda.sh/ScaledJob',
  'keda.sh/TriggerAuthentication',
  // kubernetes/autoscaler vertical-pod-autoscaler/deploy/vpa-v1-crd-gen.yaml (scope: Namespaced): in
  // the corpus (talos-argocd-proxmox) 40 apps ship a VPA whose CRD another app installs.
  'autoscaling.k8s.io/VerticalPodAutoscaler',
  'autoscaling.k8s.io/VerticalPodAutoscalerCheckpoint',
  'postgresql.cnpg.io/Cluster',
  'postgresql.cnpg.io/ScheduledBackup',
  'postgresql.cnpg.io/Pooler',
  'kustomize.toolkit.fluxcd.io/Kustomization',
  'helm.toolkit.fluxcd.io/HelmRelease',
  'source.toolkit.fluxcd.io/GitRepository',
  'source.toolkit.fluxcd.io/HelmRepository',
  'metallb.io/IPAddressPool',
  'metallb.io/L2Advertisement',
  'metallb.io/BGPPeer',
  'metallb.io/BGPAdvertisement',
  'velero.io/Schedule',
  'velero.io/Backup',
  'velero.io/BackupStorageLocation',
  'velero.io/VolumeSnapshotLocation',
  'longhorn.io/RecurringJob',
  'longhorn.io/Volume',
  'longhorn.io/BackupTarget',
];

export type KnownScope = 'Namespaced' | 'Cluster';

const KUBERNETES: Map<string, KnownScope> = new Map([
  ...KUBERNETES_NAMESPACED.map((k) => [k, 'Namespaced'] as const),
  ...KUBERNETES_CLUSTER.map((k) => [k, 'Cluster'] as const),
]);

const WELL_KNOWN: Map<string, KnownScope> = new Map([
  ...WELL_KNOWN_NAMESPACED.map((k) => [k, 'Namespaced'] as const),
  ...WELL_KNOWN_CLUSTER.map((k) => [k, 'Cluster'] as const),
]);

/** The scope of a kind served by Kubernetes itself (not a CRD); undefined for any other kind. */
export function kubernetesScope(group: string, kind: string): KnownScope | undefined {
  return KUBERNETES.get(`${group}/${kind}`);
}

/** The scope of a well-known CRD kind, as its project publishes it; undefined for any other kind. */
export function wellKnownScope(group: string, kind: string): KnownScope | undefined {
  return WELL_KNOWN.get(`${group}/${kind}`);
}

/** Is `group` one that Kubernetes serves itself ("" for the core group)? */
export function isKubernetesGroup(group: string): boolean {
  return KUBERNETES_GROUPS.has(group);
}

/** Both tables as `[group/Kind, scope]` pairs, for the tests that keep them consistent. */
export function knownKinds(): { kubernetes: [string, KnownScope][]; wellKnown: [string, KnownScope][] } {
  return { kubernetes: [...KUBERNETES], wellKnown: [...WELL_KNOWN] };
}
