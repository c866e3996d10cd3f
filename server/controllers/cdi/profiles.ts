// StorageProfiles, as CDI keeps them: one per StorageClass, named after it,
// whose status says which access and volume modes a DataVolume gets when it
// leaves them out, and how clones are made. Admins may override in spec.
import type { ClaimPropertySet, StorageProfile } from '@/lib/cdi';
import type { K8sResource } from '@/lib/k8s';
import { StorageClassModel, StorageProfileModel } from '@/lib/k8s/models';
import { LOCAL_DRIVER, SHARED_DRIVER } from '@/lib/provisioning';
import { isAlreadyExists, isNotFound } from '../runtime/client';
import { objectKey } from '../runtime/informer';
import type { Controller } from '../runtime/manager';
import type { Class } from '../storage/objects';
import { synced } from '../storage/context';

type Profile = StorageProfile & K8sResource;

/** What Kura knows of its own drivers; other provisioners get no sets (CDI leaves them to the admin). */
export function profileStatusFor(sc: Class): NonNullable<StorageProfile['status']> {
  const sets: ClaimPropertySet[] =
    sc.provisioner === LOCAL_DRIVER
      ? [
          { accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem' },
          { accessModes: ['ReadWriteOnce'], volumeMode: 'Block' },
        ]
      : sc.provisioner === SHARED_DRIVER
        ? [
            { accessModes: ['ReadWriteMany'], volumeMode: 'Filesystem' },
            { accessModes: ['ReadWriteMany'], volumeMode: 'Block' },
            { accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem' },
          ]
        : [];
  const ours = sc.provisioner === LOCAL_DRIVER || sc.provisioner === SHARED_DRIVER;
  return {
    storageClass: sc.metadata.name,
    provisioner: sc.provisioner,
    ...(sets.length ? { claimPropertySets: sets } : {}),
    cloneStrategy: ours ? 'csi-clone' : 'copy',
  };
}

export function profilesController(): Controller {
  return {
    name: 'storage-profiles',
    setup(ctx, queue) {
      const classes = ctx.informer<Class>(StorageClassModel);
      const profiles = ctx.informer<Profile>(StorageProfileModel);
      classes.on({ add: (c) => queue.add(objectKey(c)), update: (c) => queue.add(objectKey(c)), delete: (c) => queue.add(objectKey(c)) });
      profiles.on({ delete: (p) => queue.add(objectKey(p)), update: (p) => queue.add(objectKey(p)) });
      return async (name) => {
        await synced(classes, profiles);
        const sc = classes.get(undefined, name);
        const profile = profiles.get(undefined, name);
        if (!sc) {
          if (profile) await ctx.client.delete(StorageProfileModel, undefined, name).catch((e: unknown) => (isNotFound(e) ? undefined : Promise.reject(e)));
          return;
        }
        const status = profileStatusFor(sc);
        if (!profile) {
          try {
            await ctx.client.create(StorageProfileModel, { apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'StorageProfile', metadata: { name, labels: { 'app.kubernetes.io/managed-by': 'kura' } }, spec: {} });
          } catch (e) {
            if (!isAlreadyExists(e)) throw e;
          }
          return { requeueAfterMs: 0 };
        }
        if (JSON.stringify(profile.status ?? {}) === JSON.stringify(status)) return;
        await ctx.client.patch(StorageProfileModel, undefined, name, { status: { ...Object.fromEntries(Object.keys(profile.status ?? {}).map((k) => [k, null])), ...status } }, 'merge', 'status');
      };
    },
  };
}
