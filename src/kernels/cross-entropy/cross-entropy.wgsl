// cross-entropy v1: softmax cross-entropy of logits [N, C] against integer labels [N], the mean over
// rows, and its gradient in the same dispatch (the linear probe's loss):
//   loss = (1/N) Σ_i (log Σ_j e^(l_ij) − l_i,y_i),   dlogits = (softmax(l_i) − onehot(y_i)) / N.
// One workgroup: a probe's N×C is tiny next to the towers. Each row's log-sum-exp is kept as
// (max m, log Σ e^(l − m)) so large logits do not round the small term away; the loss terms are
// summed in a fixed-order tree (deterministic, no atomics).
struct Params { N: u32, C: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> logits: array<f32>;        // [N, C]
@group(0) @binding(2) var<storage, read> labels: array<u32>;        // [N]
@group(0) @binding(3) var<storage, read_write> dlogits: array<f32>; // [N, C]
@group(0) @binding(4) var<storage, read_write> loss: array<f32>;    // [1]

const WG = 256u;
var<workgroup> red: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) li: u32) {
  let N = p.N;
  let C = p.C;
  let invN = 1.0 / f32(N);
  var acc = 0.0;
  for (var i = li; i < N; i += WG) {
    let row = i * C;
    var m = -3.4e38;
    for (var j = 0u; j < C; j++) { m = max(m, logits[row + j]); }
    var s = 0.0;
    for (var j = 0u; j < C; j++) { s += exp(logits[row + j] - m); }
    let logS = log(s);
    let y = labels[i];
    for (var j = 0u; j < C; j++) {
      let eye = select(0.0, 1.0, j == y);
      dlogits[row + j] = (exp((logits[row + j] - m) - logS) - eye) * invN;
    }
    acc += ((m - logits[row + y]) + logS) * invN;
  }
  red[li] = acc;
  workgroupBarrier();
  for (var h = WG / 2u; h > 0u; h >>= 1u) {
    if (li < h) { red[li] += red[li + h]; }
    workgroupBarrier();
  }
  if (li == 0u) { loss[0] = red[0]; }
}
