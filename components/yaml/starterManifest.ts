// The text "Create from YAML" starts with: apiVersion, kind and metadata for
// any kind, plus a minimal valid spec for the kinds Kura knows, with comments
// on what to change.
import { groupVersion, type K8sModel } from '@/lib/k8s/models';

/** Spec lines (already indented at the top level) for the kinds worth a head start, by group/Kind. */
const bodies: Record<string, string> = {
  '/PersistentVolumeClaim': `spec:
  accessModes:
    - ReadWriteOnce
  resources:
    requests:
      storage: 1Gi
  # storageClassName: the class to provision from (the default class when left out)
`,
  '/ConfigMap': `data:
  key: value
`,
  '/Secret': `type: Opaque
# stringData is written as data, base64-encoded, by the server.
stringData:
  key: value
`,
  'storage.k8s.io/StorageClass': `# The CSI driver that creates the volumes of this class.
provisioner: example.csi.k8s.io
reclaimPolicy: Delete
volumeBindingMode: WaitForFirstConsumer
allowVolumeExpansion: true
`,
  'kubevirt.io/VirtualMachine': `spec:
  # Halted: created stopped; start it from its page.
  runStrategy: Halted
  template:
    spec:
      domain:
        cpu:
          cores: 1
        memory:
          guest: 1Gi
        devices: {}
`,
  'cdi.kubevirt.io/DataVolume': `spec:
  # A blank disk; other sources: http, registry, pvc, snapshot, upload.
  source:
    blank: {}
  storage:
    resources:
      requests:
        storage: 1Gi
`,
  'snapshot.storage.k8s.io/VolumeSnapshot': `spec:
  source:
    # The PersistentVolumeClaim to snapshot, in the same namespace.
    persistentVolumeClaimName: my-pvc
  # volumeSnapshotClassName: the class to use (the default class when left out)
`,
};

/** A starting manifest for a kind; namespaced kinds get `namespace` when one is given. */
export function starterManifest(model: Pick<K8sModel, 'apiGroup' | 'apiVersion' | 'kind' | 'namespaced'>, namespace?: string): string {
  const head = [`apiVersion: ${groupVersion(model)}`, `kind: ${model.kind}`, 'metadata:', '  name: example'];
  if (model.namespaced && namespace) head.push(`  namespace: ${namespace}`);
  return `${head.join('\n')}\n${bodies[`${model.apiGroup}/${model.kind}`] ?? ''}`;
}

/** What the editor starts with when no kind was chosen. */
export const emptyManifestHint = `# Paste or write one or more objects, separated by ---.
# Namespaced objects without metadata.namespace are created in the namespace shown above.
apiVersion: v1
kind: ConfigMap
metadata:
  name: example
data:
  key: value
`;
