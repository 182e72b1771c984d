/**
 * What the shipped model must reach on held-out scenes. Issue 13's acceptance asks for 95% zero-shot
 * shape and colour, 80% pointing game and 70% detection; where the model falls short the value here
 * is the measured floor, marked OPEN, and the gap is in weights/shapes-clip/README.md.
 */
export const MEANING = {
  zeroShot: { shape: 0.95, colour: 0.95 },
  pointingGame: 0.8,
  detection: 0.7,
  detectMode: 'patches' as const,
};
