/**
 * Node entry: the same API as the browser's, with the Node platform installed
 * (Dawn GPU, file paths for models and images).
 */
import { setPlatform } from '../model/platform.ts';
import { nodePlatform } from './platform.ts';

setPlatform(nodePlatform);

export * from '../index.ts';
export { requestNodeContext, type AdapterChoice } from './gpu.ts';
export { filesFromPath, nodePlatform } from './platform.ts';
export { shippedModelPath } from './shipped-model.ts';
export { downloadHubModel } from './download.ts';
export { writeRandomClipModel } from './random-model.ts';
export { writeConvertedModel } from './convert.ts';
export {
  imageFolder,
  classFolders,
  fileImageItem,
  isImageFile,
  IMAGE_EXTENSIONS,
  type FolderImages,
} from './image-folder.ts';
