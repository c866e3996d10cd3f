// Public face of the node agent's storage: pools of volume files and the qemu-img wrapper they use.
export * from './types';
export { FilePool, type FilePoolOptions } from './pool';
export { QemuImg, QemuImgError, type CheckResult, type ImageInfo, type QemuImgErrorCode, type QemuImgOptions } from './qemuImg';
