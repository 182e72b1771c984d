/**
 * The page's shared ClipModel on an element's `model` property: taken when the element connects
 * (a loader may have published it before), replaced whenever a loader publishes a new one, and no
 * longer followed once the element leaves the page. A model set by hand stays until the next publish.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ClipModel } from '../../../model/clip.ts';
import { currentModel, onModelReady } from '../../shared-model.ts';

export type ModelHost = ReactiveControllerHost & { model: ClipModel | null };

export class SharedModelController implements ReactiveController {
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly host: ModelHost) {
    host.addController(this);
  }

  hostConnected(): void {
    this.host.model ??= currentModel();
    this.unsubscribe = onModelReady((d) => (this.host.model = d.model));
  }

  hostDisconnected(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }
}
