/** A scene's ground truth as plain JSON (what truth.json holds per image), masks named by path. */
import type { Background } from './backgrounds.ts';
import type { Scene } from './scene.ts';
import type { Colour, Shape, Shift, SizeClass } from './vocabulary.ts';

export interface ObjectTruth {
  shape: Shape;
  colour: Colour;
  size: SizeClass;
  box: [number, number, number, number];
  centre: [number, number];
  radius: number;
  rotation: number;
  /** The mask PNG, relative to truth.json. */
  mask: string;
}

export interface SceneTruth {
  file: string;
  caption: string;
  template: string;
  background: Background;
  shift: Shift;
  objects: ObjectTruth[];
}

const hundredths = (x: number): number => Math.round(x * 100) / 100;

export function sceneTruth(scene: Scene, file: string, maskFiles: readonly string[]): SceneTruth {
  return {
    file,
    caption: scene.caption,
    template: scene.template,
    background: scene.background,
    shift: scene.shift,
    objects: scene.objects.map((o, i) => ({
      shape: o.shape,
      colour: o.colour,
      size: o.size,
      box: o.box,
      centre: [hundredths(o.centre[0]), hundredths(o.centre[1])],
      radius: hundredths(o.radius),
      rotation: o.rotation,
      mask: maskFiles[i],
    })),
  };
}
