/**
 * The image input the single-image elements share (<clip-classifier>, <clip-patch-detector>,
 * <clip-gradcam>): a drop, a paste anywhere on the page, or a file picked through the element's
 * hidden `<input id="file">`, each checked to decode before it replaces the shown image.
 */
import type { ReactiveController, ReactiveElement } from 'lit';
import { ClipError } from '../../../errors.ts';
import { assertDecodable, imageFromFile, imageFromTransfer, type ShownImage } from './shown-image.ts';

/** An element with a drop zone: its `dragging` state is what the drop zone's class follows. */
export type ImageInputHost = ReactiveElement & { dragging: boolean };

export interface ImageInputOptions {
  /** The verb of the message for a drop with no image in it: "Nothing to <verb> in that drop: ...". */
  verb: string;
  /** Take an image pasted anywhere on the page while the element is on screen. */
  paste: boolean;
  /** Replace the shown image (the file is known to decode). */
  show(img: ShownImage): void;
  /** Say why an input was refused; the shown image stays. */
  fail(err: unknown): void;
}

export class ImageInputController implements ReactiveController {
  constructor(
    private readonly host: ImageInputHost,
    private readonly options: ImageInputOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    if (this.options.paste) window.addEventListener('paste', this.onPaste);
  }

  hostDisconnected(): void {
    if (this.options.paste) window.removeEventListener('paste', this.onPaste);
  }

  readonly onDragOver = (e: DragEvent): void => {
    e.preventDefault();
    this.host.dragging = true;
  };

  readonly onDragLeave = (): void => {
    this.host.dragging = false;
  };

  readonly onDrop = (e: DragEvent): void => {
    e.preventDefault();
    this.host.dragging = false;
    let img: ShownImage | null = null;
    try {
      img = e.dataTransfer && imageFromTransfer(e.dataTransfer);
    } catch (err) {
      this.options.fail(err);
      return;
    }
    if (img) void this.showChecked(img);
    else
      this.options.fail(
        new ClipError(
          'image',
          `Nothing to ${this.options.verb} in that drop: drop an image file (PNG, JPEG, WebP, GIF or BMP).`,
        ),
      );
  };

  private readonly onPaste = (e: ClipboardEvent): void => {
    if (!this.host.isConnected || this.host.offsetParent === null) return; // not on screen (e.g. another tab)
    const file = [...(e.clipboardData?.files ?? [])].find((f) => f.type.startsWith('image/'));
    if (!file) return; // text pastes go to the text fields as usual
    e.preventDefault();
    this.showFile(file, file.name || 'pasted image');
  };

  readonly onPick = (e: Event): void => {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (file) this.showFile(file);
  };

  /** Opens the file dialog of the element's `<input id="file">`. */
  readonly pick = (): void => {
    this.host.renderRoot.querySelector<HTMLInputElement>('#file')!.click();
  };

  private showFile(file: File, name = file.name): void {
    try {
      void this.showChecked(imageFromFile(file, name));
    } catch (err) {
      this.options.fail(err);
    }
  }

  /** Shows a file once it is known to decode; otherwise keeps the current image and says why. */
  private async showChecked(img: ShownImage): Promise<void> {
    try {
      if (img.input instanceof Blob) await assertDecodable(img.input, img.name);
      this.options.show(img);
    } catch (err) {
      if (img.objectUrl) URL.revokeObjectURL(img.objectUrl);
      this.options.fail(err);
    }
  }
}
