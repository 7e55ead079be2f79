/// What a parameter block is, for initialisation and weight decay.
public enum ParameterRole: String, Sendable, Codable {
    /// Multiplicative weights: drawn by the initialiser, decayed by weight decay.
    case weight
    /// Additive biases: zero at initialisation, never decayed.
    case bias
}

/// One contiguous block of a layer's parameters inside the model's flat parameter vector.
public struct ParameterSegment: Sendable, Equatable {
    /// Short name ("weight", "bias").
    public var name: String
    /// Offsets relative to the layer's first parameter.
    public var range: Range<Int>
    /// Weight or bias.
    public var role: ParameterRole
    /// Inputs feeding one output unit (for He/Glorot/LeCun scaling).
    public var fanIn: Int
    /// Outputs fed by one input unit.
    public var fanOut: Int

    /// A segment.
    public init(name: String, range: Range<Int>, role: ParameterRole, fanIn: Int, fanOut: Int) {
        self.name = name
        self.range = range
        self.role = role
        self.fanIn = fanIn
        self.fanOut = fanOut
    }
}

/// A layer with hand-written forward, backward and R-operator (forward-mode tangent) passes.
///
/// Layers hold no parameters themselves: the model owns one flat parameter vector and passes each
/// layer a pointer to its block, laid out as the layer's ``parameterSegments`` say. Activations
/// are batches stored row-major, one example per row of `inputSize` (or `outputSize`) scalars;
/// images are channel-major (C×H×W) within a row. Layers may keep private workspaces (sized by
/// ``reserve(batch:)``) but never allocate in the passes.
///
/// The tangent passes implement Pearlmutter's R-operator, R{f} = d/dr f(θ + r·v) at r = 0, which
/// gives the exact Hessian-vector product Hv = R{∇L} for every model built from these layers.
public protocol Layer<Scalar>: AnyObject {
    /// The scalar type (Float or Double).
    associatedtype Scalar: BLASScalar

    /// Features per input example.
    var inputSize: Int { get }
    /// Features per output example.
    var outputSize: Int { get }
    /// The layer's parameter blocks, covering 0..<parameterCount.
    var parameterSegments: [ParameterSegment] { get }
    /// A short description ("dense 784→512").
    var summary: String { get }

    /// Sizes private workspaces for batches of up to `batch` examples.
    func reserve(batch: Int)

    /// y = f(x; θ).
    func forward(input x: UnsafePointer<Scalar>, output y: UnsafeMutablePointer<Scalar>,
                 batch: Int, parameters θ: UnsafePointer<Scalar>)

    /// Given gy = ∂L/∂y, writes ∂L/∂θ to `gradParameters` (overwriting) and, when `gradInput`
    /// is non-nil, ∂L/∂x to it. `x` and `y` are this batch's forward input and output.
    func backward(input x: UnsafePointer<Scalar>, output y: UnsafePointer<Scalar>,
                  gradOutput gy: UnsafePointer<Scalar>, gradInput gx: UnsafeMutablePointer<Scalar>?,
                  batch: Int, parameters θ: UnsafePointer<Scalar>,
                  gradParameters gθ: UnsafeMutablePointer<Scalar>)

    /// The backward pass folded into an update: `gθ ← β·gθ + ∂L/∂θ`, with ∂L/∂x (when `gradInput`
    /// is non-nil) computed first, so `gθ` may be the layer's own parameters θ (an SGD step inside
    /// the weight-gradient GEMM) or a momentum buffer (β = μ). Returns false when the layer cannot
    /// (then nothing was written and the caller uses ``backward(input:output:gradOutput:gradInput:batch:parameters:gradParameters:)``
    /// into scratch), the default. Parameter-free layers need not implement it.
    func backward(input x: UnsafePointer<Scalar>, output y: UnsafePointer<Scalar>,
                  gradOutput gy: UnsafePointer<Scalar>, gradInput gx: UnsafeMutablePointer<Scalar>?,
                  batch: Int, parameters θ: UnsafePointer<Scalar>,
                  accumulatingInto gθ: UnsafeMutablePointer<Scalar>, beta: Scalar) -> Bool

    /// R{y} from R{x} (`rx`) and the parameter direction `v`.
    func forwardTangent(input x: UnsafePointer<Scalar>, inputTangent rx: UnsafePointer<Scalar>,
                        output y: UnsafePointer<Scalar>, outputTangent ry: UnsafeMutablePointer<Scalar>,
                        batch: Int, parameters θ: UnsafePointer<Scalar>, direction v: UnsafePointer<Scalar>)

    /// The backward pass and its R-operator together: from gy and R{gy} writes ∂L/∂θ to `gθ`,
    /// R{∂L/∂θ} (this layer's block of Hv) to `rgθ`, and, when non-nil, ∂L/∂x and R{∂L/∂x}.
    func backwardTangent(input x: UnsafePointer<Scalar>, inputTangent rx: UnsafePointer<Scalar>,
                         output y: UnsafePointer<Scalar>, outputTangent ry: UnsafePointer<Scalar>,
                         gradOutput gy: UnsafePointer<Scalar>, gradOutputTangent rgy: UnsafePointer<Scalar>,
                         gradInput gx: UnsafeMutablePointer<Scalar>?, gradInputTangent rgx: UnsafeMutablePointer<Scalar>?,
                         batch: Int, parameters θ: UnsafePointer<Scalar>, direction v: UnsafePointer<Scalar>,
                         gradParameters gθ: UnsafeMutablePointer<Scalar>, gradParametersTangent rgθ: UnsafeMutablePointer<Scalar>)

    /// ``forwardTangent(input:inputTangent:output:outputTangent:batch:parameters:direction:)`` for a
    /// layer whose input tangent is zero — the model's first layer, since the data do not depend
    /// on θ; `rx` holds those zeros. Layers with parameters may skip their R{x} products (dense:
    /// R{y} = x·V_W + v_b); the default runs the general pass.
    func forwardTangent(input x: UnsafePointer<Scalar>, zeroInputTangent rx: UnsafePointer<Scalar>,
                        output y: UnsafePointer<Scalar>, outputTangent ry: UnsafeMutablePointer<Scalar>,
                        batch: Int, parameters θ: UnsafePointer<Scalar>, direction v: UnsafePointer<Scalar>)

    /// ``backwardTangent(input:inputTangent:output:outputTangent:gradOutput:gradOutputTangent:gradInput:gradInputTangent:batch:parameters:direction:gradParameters:gradParametersTangent:)``
    /// when R{x} = 0 (see ``forwardTangent(input:zeroInputTangent:output:outputTangent:batch:parameters:direction:)``).
    func backwardTangent(input x: UnsafePointer<Scalar>, zeroInputTangent rx: UnsafePointer<Scalar>,
                         output y: UnsafePointer<Scalar>, outputTangent ry: UnsafePointer<Scalar>,
                         gradOutput gy: UnsafePointer<Scalar>, gradOutputTangent rgy: UnsafePointer<Scalar>,
                         gradInput gx: UnsafeMutablePointer<Scalar>?, gradInputTangent rgx: UnsafeMutablePointer<Scalar>?,
                         batch: Int, parameters θ: UnsafePointer<Scalar>, direction v: UnsafePointer<Scalar>,
                         gradParameters gθ: UnsafeMutablePointer<Scalar>, gradParametersTangent rgθ: UnsafeMutablePointer<Scalar>)
}

extension Layer {
    /// Total number of parameters.
    public var parameterCount: Int { parameterSegments.last?.range.upperBound ?? 0 }
    /// Parameter-free layers need no workspace by default.
    public func reserve(batch: Int) {}

    /// By default the zero-input-tangent passes are the general ones.
    public func forwardTangent(input x: UnsafePointer<Scalar>, zeroInputTangent rx: UnsafePointer<Scalar>,
                               output y: UnsafePointer<Scalar>, outputTangent ry: UnsafeMutablePointer<Scalar>,
                               batch: Int, parameters θ: UnsafePointer<Scalar>, direction v: UnsafePointer<Scalar>) {
        forwardTangent(input: x, inputTangent: rx, output: y, outputTangent: ry, batch: batch, parameters: θ, direction: v)
    }

    public func backwardTangent(input x: UnsafePointer<Scalar>, zeroInputTangent rx: UnsafePointer<Scalar>,
                                output y: UnsafePointer<Scalar>, outputTangent ry: UnsafePointer<Scalar>,
                                gradOutput gy: UnsafePointer<Scalar>, gradOutputTangent rgy: UnsafePointer<Scalar>,
                                gradInput gx: UnsafeMutablePointer<Scalar>?, gradInputTangent rgx: UnsafeMutablePointer<Scalar>?,
                                batch: Int, parameters θ: UnsafePointer<Scalar>, direction v: UnsafePointer<Scalar>,
                                gradParameters gθ: UnsafeMutablePointer<Scalar>, gradParametersTangent rgθ: UnsafeMutablePointer<Scalar>) {
        backwardTangent(input: x, inputTangent: rx, output: y, outputTangent: ry, gradOutput: gy, gradOutputTangent: rgy,
                        gradInput: gx, gradInputTangent: rgx, batch: batch, parameters: θ, direction: v,
                        gradParameters: gθ, gradParametersTangent: rgθ)
    }

    /// By default a layer does not accumulate (the model then goes through a scratch gradient).
    public func backward(input x: UnsafePointer<Scalar>, output y: UnsafePointer<Scalar>,
                         gradOutput gy: UnsafePointer<Scalar>, gradInput gx: UnsafeMutablePointer<Scalar>?,
                         batch: Int, parameters θ: UnsafePointer<Scalar>,
                         accumulatingInto gθ: UnsafeMutablePointer<Scalar>, beta: Scalar) -> Bool {
        false
    }
}
