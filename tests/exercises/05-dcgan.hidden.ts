/** Hidden tests of notebooks/05-dcgan.ipynb (never released to students). */
import type { HiddenTests } from "../../lib/exercises/hidden";

const tests: HiddenTests = {
  "05-dcgan/output-sizes": [
    {
      name: "convolution sizes, including odd sizes and floors",
      points: 1,
      run: ({ exports, lib }) => {
        lib.check.close(exports.convOutputSize(7, 3, 2, 2), 4, { message: "conv 7, k3 s2 p2" });
        lib.check.close(exports.convOutputSize(64, 5, 2, 4), 32, { message: "conv 64, k5 s2 p4" });
        lib.check.close(exports.convOutputSize(10, 3, 3, 0), 3, { message: "conv 10, k3 s3 p0 (floor)" });
      },
    },
    {
      name: "transposed convolution sizes agree with TensorFlow.js ('valid' padding)",
      points: 1,
      run: ({ exports, tf, lib }) => {
        for (const [n, k, s] of [[5, 3, 2], [4, 4, 3], [6, 1, 1]]) {
          const layer = tf.layers.conv2dTranspose({ filters: 1, kernelSize: k, strides: s, padding: "valid" });
          const y = layer.apply(tf.zeros([1, n, n, 1])) as any;
          lib.check.close(exports.convTransposeOutputSize(n, k, s, 0), y.shape[1], { message: `convT ${n}, k${k} s${s} valid` });
        }
        lib.check.close(exports.convTransposeOutputSize(14, 4, 2, 2), 28, { message: "convT 14 → 28" });
      },
    },
  ],
  "05-dcgan/blocks": [
    {
      name: "generatorBlock doubles height and width and sets the channels",
      points: 1,
      run: ({ exports, tf, lib }) => {
        const y = exports.generatorBlock(tf.input({ shape: [5, 3, 8] }), 6);
        lib.check.ok(JSON.stringify(y.shape) === JSON.stringify([null, 10, 6, 6]), `expected [null, 10, 6, 6], got ${JSON.stringify(y.shape)}`);
        let v = tf.randomNormal([2, 5, 3, 8]);
        for (const layer of layersOf(y)) v = layer.apply(v);
        lib.check.ok((tf.min(v).dataSync()[0] as number) >= 0, "the block ends in ReLU: outputs are non-negative");
      },
    },
    {
      name: "generatorBlock: transposed conv without bias, then batch norm, then ReLU",
      points: 1,
      run: ({ exports, tf, lib }) => {
        const layers = layersOf(exports.generatorBlock(tf.input({ shape: [4, 4, 2] }), 3));
        const kinds = layers.map((l: any) => l.getClassName());
        lib.check.ok(kinds.join() === "Conv2DTranspose,BatchNormalization,ReLU" || kinds.join() === "Conv2DTranspose,BatchNormalization,Activation", `layer order: ${kinds.join(", ")}`);
        const convT = layers[0].getConfig() as any;
        lib.check.ok(convT.useBias === false, "the transposed convolution should have no bias");
        lib.check.ok(JSON.stringify(convT.kernelSize) === "[4,4]" && JSON.stringify(convT.strides) === "[2,2]", "kernel 4, stride 2");
      },
    },
    {
      name: "discriminatorBlock halves height and width, conv → batch norm → LeakyReLU(0.2)",
      points: 1,
      run: ({ exports, tf, lib }) => {
        const y = exports.discriminatorBlock(tf.input({ shape: [12, 8, 3] }), 5);
        lib.check.ok(JSON.stringify(y.shape) === JSON.stringify([null, 6, 4, 5]), `expected [null, 6, 4, 5], got ${JSON.stringify(y.shape)}`);
        const layers = layersOf(y);
        const kinds = layers.map((l: any) => l.getClassName());
        lib.check.ok(kinds.join() === "Conv2D,BatchNormalization,LeakyReLU", `layer order: ${kinds.join(", ")}`);
        lib.check.close((layers[2].getConfig() as any).alpha, 0.2, { message: "LeakyReLU slope" });
      },
    },
  ],
};
export default tests;

/**
 * The layers a block applied, first to last, from the SymbolicTensor it returned (in the grader a
 * handle on the student's side: only properties and method calls reach it). Each layer has one input.
 */
function layersOf(output: any): any[] {
  const layers: any[] = [];
  for (let t = output; t.sourceLayer.getClassName() !== "InputLayer"; t = t.inputs[0]) {
    if (layers.length > 50) throw new Error("the block has more than 50 layers");
    layers.unshift(t.sourceLayer);
  }
  return layers;
}
