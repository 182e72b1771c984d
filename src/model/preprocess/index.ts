// Browser-safe preprocessing API. Node decoding lives in src/node/decode-image.ts (imports fs, Buffer).
export { preprocessImage, modelToImage, clipResizeSize, resizeLikePIL, MAX_IMAGE_SIDE } from './preprocess.ts';
export type { RawImage, PreprocessedImage } from './preprocess.ts';
export { resizeBicubic, resizeNearest, premultiplyAlpha, unpremultiplyAlpha } from './resize.ts';
export type { U8Pixels } from './resize.ts';
export { centerCropOffsets, cropPixels, roundHalfEven } from './crop.ts';
export { normalizeToCHW, normalizationTable, CLIP_MEAN, CLIP_STD } from './normalize.ts';
export { decodeImageBrowser } from './decode-browser.ts';
export type { BrowserImageSource, BrowserDecodedImage } from './decode-browser.ts';
