/**
 * A small ONNX graph builder over onnx-proto: nodes get fresh output names, weights and constants become
 * initializers, and `encode` produces the model bytes (opset 17, IR version 8).
 */
import onnxProto from 'onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';

// onnx-proto is CommonJS: its namespace arrives on the default export.
const { onnx } = onnxProto as unknown as { onnx: typeof OnnxTypes };
type INodeProto = OnnxTypes.INodeProto;
type ITensorProto = OnnxTypes.ITensorProto;
type IAttributeProto = OnnxTypes.IAttributeProto;
export type IValueInfoProto = OnnxTypes.IValueInfoProto;

export type Attr = number | number[] | string;

export class GraphBuilder {
  private readonly nodes: INodeProto[] = [];
  private readonly initializers: ITensorProto[] = [];
  private counter = 0;

  /** Add a node; returns its output name (or names when `outputs` > 1). */
  op(opType: string, inputs: string[], attrs: Record<string, Attr> = {}, name?: string): string {
    const output = name ?? `${opType.toLowerCase()}_${this.counter++}`;
    this.nodes.push({
      opType,
      input: inputs,
      output: [output],
      name: `${opType}_${this.nodes.length}`,
      attribute: Object.entries(attrs).map(([key, v]) => attribute(key, v)),
    });
    return output;
  }

  /** A float32 initializer (weights, tables). */
  floats(name: string, dims: number[], data: Float32Array): string {
    this.initializers.push({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)) });
    return name;
  }

  /** An int64 constant (shapes, axes, indices). */
  ints(values: number[], name = `const_${this.counter++}`): string {
    const data = BigInt64Array.from(values.map((v) => BigInt(v)));
    this.initializers.push({ name, dims: [values.length], dataType: onnx.TensorProto.DataType.INT64, rawData: new Uint8Array(data.buffer) });
    return name;
  }

  /** A float32 scalar constant. */
  scalar(value: number): string {
    return this.floats(`scalar_${this.counter++}`, [], Float32Array.of(value));
  }

  encode(opts: { inputs: IValueInfoProto[]; outputs: IValueInfoProto[]; name: string; docString: string }): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'grpo-playground',
      opsetImport: [{ domain: '', version: 17 }],
      docString: opts.docString,
      graph: { name: opts.name, node: this.nodes, initializer: this.initializers, input: opts.inputs, output: opts.outputs },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

function attribute(name: string, v: Attr): IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: T.INTS, ints: v };
  if (Number.isInteger(v)) return { name, type: T.INT, i: v };
  return { name, type: T.FLOAT, f: v };
}

/** A tensor value-info with symbolic dimensions given as strings. */
export function valueInfo(name: string, elemType: 'float' | 'int64', dims: Array<number | string>): IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: elemType === 'float' ? onnx.TensorProto.DataType.FLOAT : onnx.TensorProto.DataType.INT64,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}
