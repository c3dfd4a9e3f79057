"""Mutants and valid variants of the rnn exercise."""

from . import mutant, valid

M = "rnn"

# The reference's input checks, shared by the variants below.
STEP_CHECKS = '''
def _check(x, h, Wx, Wh, b, activation):
    if activation not in ("tanh", "linear"):
        raise ValueError("unknown activation")
    if x.ndim != 2 or h.ndim != 2 or Wx.ndim != 2 or Wh.ndim != 2:
        raise ValueError("x, h, Wx and Wh must be 2-D")
    N, H = h.shape
    if x.shape[0] != N or Wx.shape != (x.shape[1], H) or Wh.shape != (H, H) or b.shape != (H,):
        raise ValueError("bad shapes")
'''

FORWARD_CHECKS = '''
def _check(xs, h0, Wx, Wh, b, activation):
    if activation not in ("tanh", "linear"):
        raise ValueError("unknown activation")
    if xs.ndim != 3 or h0.ndim != 2 or Wx.ndim != 2 or Wh.ndim != 2:
        raise ValueError("xs must be 3-D and h0, Wx, Wh 2-D")
    T, N, D = xs.shape
    H = h0.shape[1]
    if h0.shape[0] != N or Wx.shape != (D, H) or Wh.shape != (H, H) or b.shape != (H,):
        raise ValueError("bad shapes")
'''


def step_variant(make, name, why, body):
    return make(M, "rnn_step", name, why, "import numpy as np\n" + STEP_CHECKS + body)


def forward_variant(make, name, why, body):
    return make(M, "rnn_forward", name, why, "import numpy as np\n" + FORWARD_CHECKS + body)


MUTANTS = [
    # --- rnn_step ------------------------------------------------------------------------------------
    step_variant(mutant, "wh_transposed", "multiplies by Wh.T (the column-vector habit Wh h, transposed wrongly)", """
def rnn_step(x, h, Wx, Wh, b, activation="tanh"):
    x, h, Wx, Wh, b = (np.asarray(a, dtype=float) for a in (x, h, Wx, Wh, b))
    _check(x, h, Wx, Wh, b, activation)
    z = x @ Wx + h @ Wh.T + b
    return np.tanh(z) if activation == "tanh" else z
"""),
    step_variant(mutant, "forgets_bias", "leaves out the bias b", """
def rnn_step(x, h, Wx, Wh, b, activation="tanh"):
    x, h, Wx, Wh, b = (np.asarray(a, dtype=float) for a in (x, h, Wx, Wh, b))
    _check(x, h, Wx, Wh, b, activation)
    z = x @ Wx + h @ Wh
    return np.tanh(z) if activation == "tanh" else z
"""),
    step_variant(mutant, "always_tanh", "ignores the activation argument and always applies tanh", """
def rnn_step(x, h, Wx, Wh, b, activation="tanh"):
    x, h, Wx, Wh, b = (np.asarray(a, dtype=float) for a in (x, h, Wx, Wh, b))
    _check(x, h, Wx, Wh, b, activation)
    return np.tanh(x @ Wx + h @ Wh + b)
"""),
    step_variant(mutant, "sigmoid", "uses the logistic sigmoid instead of tanh", """
def rnn_step(x, h, Wx, Wh, b, activation="tanh"):
    x, h, Wx, Wh, b = (np.asarray(a, dtype=float) for a in (x, h, Wx, Wh, b))
    _check(x, h, Wx, Wh, b, activation)
    z = x @ Wx + h @ Wh + b
    return 1 / (1 + np.exp(-z)) if activation == "tanh" else z
"""),
    mutant(M, "rnn_step", "no_validation", "checks nothing: an (H, 1) Wh or a (1,) bias broadcasts, any activation string means linear", """
        import numpy as np

        def rnn_step(x, h, Wx, Wh, b, activation="tanh"):
            z = np.asarray(x) @ Wx + np.asarray(h) @ Wh + b
            return np.tanh(z) if activation == "tanh" else z
    """),
    step_variant(mutant, "updates_h_in_place", "stores the new state into the caller's h (h[:] = ...), as if the state lived in place", """
def rnn_step(x, h, Wx, Wh, b, activation="tanh"):
    h = np.asarray(h)
    x, Wx, Wh, b = (np.asarray(a, dtype=float) for a in (x, Wx, Wh, b))
    _check(x, h, Wx, Wh, b, activation)
    z = x @ Wx + h @ Wh + b
    new = np.tanh(z) if activation == "tanh" else z
    if h.dtype.kind == "f":
        h[...] = new
    return new
"""),

    # --- rnn_forward ---------------------------------------------------------------------------------
    forward_variant(mutant, "restarts_from_h0", "computes every step from h0 instead of the previous state", """
def rnn_forward(xs, h0, Wx, Wh, b, activation="tanh"):
    xs, h0, Wx, Wh, b = (np.asarray(a, dtype=float) for a in (xs, h0, Wx, Wh, b))
    _check(xs, h0, Wx, Wh, b, activation)
    act = np.tanh if activation == "tanh" else (lambda z: z)
    hs = np.zeros((xs.shape[0],) + h0.shape)
    for t in range(xs.shape[0]):
        hs[t] = act(xs[t] @ Wx + h0 @ Wh + b)
    return hs
"""),
    forward_variant(mutant, "includes_h0", "stores h0 as hs[0] and drops the last state (an off-by-one)", """
def rnn_forward(xs, h0, Wx, Wh, b, activation="tanh"):
    xs, h0, Wx, Wh, b = (np.asarray(a, dtype=float) for a in (xs, h0, Wx, Wh, b))
    _check(xs, h0, Wx, Wh, b, activation)
    act = np.tanh if activation == "tanh" else (lambda z: z)
    hs = np.zeros((xs.shape[0],) + h0.shape)
    h = h0
    for t in range(xs.shape[0]):
        hs[t] = h
        h = act(xs[t] @ Wx + h @ Wh + b)
    return hs
"""),
    forward_variant(mutant, "always_tanh", "ignores activation=linear and applies tanh at every step", """
def rnn_forward(xs, h0, Wx, Wh, b, activation="tanh"):
    xs, h0, Wx, Wh, b = (np.asarray(a, dtype=float) for a in (xs, h0, Wx, Wh, b))
    _check(xs, h0, Wx, Wh, b, activation)
    hs = np.zeros((xs.shape[0],) + h0.shape)
    h = h0
    for t in range(xs.shape[0]):
        h = np.tanh(xs[t] @ Wx + h @ Wh + b)
        hs[t] = h
    return hs
"""),
    forward_variant(mutant, "residual_state", "adds the new activation to the old state (h = h + tanh(...)), which lets norms grow", """
def rnn_forward(xs, h0, Wx, Wh, b, activation="tanh"):
    xs, h0, Wx, Wh, b = (np.asarray(a, dtype=float) for a in (xs, h0, Wx, Wh, b))
    _check(xs, h0, Wx, Wh, b, activation)
    hs = np.zeros((xs.shape[0],) + h0.shape)
    h = h0
    for t in range(xs.shape[0]):
        z = xs[t] @ Wx + h @ Wh + b
        h = h + np.tanh(z) if activation == "tanh" else z
        hs[t] = h
    return hs
"""),
    mutant(M, "rnn_forward", "no_validation", "checks nothing: 2-D xs, an (H, 1) Wh and unknown activations go through", """
        import numpy as np

        def rnn_forward(xs, h0, Wx, Wh, b, activation="tanh"):
            xs, h0 = np.asarray(xs, dtype=float), np.asarray(h0, dtype=float)
            hs = []
            h = h0
            for t in range(xs.shape[0]):
                z = xs[t] @ Wx + h @ Wh + b
                h = np.tanh(z) if activation == "tanh" else z
                hs.append(h)
            return np.array(hs).reshape((xs.shape[0],) + np.shape(h0)[:1] + (np.shape(Wh)[1],))
    """),
    forward_variant(mutant, "state_in_h0", "keeps the running state in the caller's h0 (h = h0; h[:] = ...)", """
def rnn_forward(xs, h0, Wx, Wh, b, activation="tanh"):
    h = np.asarray(h0)
    xs, Wx, Wh, b = (np.asarray(a, dtype=float) for a in (xs, Wx, Wh, b))
    _check(xs, h, Wx, Wh, b, activation)
    if h.dtype.kind != "f":
        h = h.astype(float)
    hs = np.zeros((xs.shape[0],) + h.shape)
    for t in range(xs.shape[0]):
        z = xs[t] @ Wx + h @ Wh + b
        h[...] = np.tanh(z) if activation == "tanh" else z
        hs[t] = h
    return hs
"""),
]

VALID = [
    step_variant(valid, "stacked_weights", "one product: [x, h] @ [[Wx], [Wh]] (the concatenation trick)", """
def rnn_step(x, h, Wx, Wh, b, activation="tanh"):
    x, h, Wx, Wh, b = (np.asarray(a, dtype=np.float64) for a in (x, h, Wx, Wh, b))
    _check(x, h, Wx, Wh, b, activation)
    z = np.concatenate([x, h], axis=1) @ np.concatenate([Wx, Wh], axis=0) + b
    return np.tanh(z) if activation == "tanh" else z
"""),
    step_variant(valid, "einsum_and_exp_tanh", "einsum for the products and tanh written with exponentials (stable form)", """
def rnn_step(x, h, Wx, Wh, b, activation="tanh"):
    x, h, Wx, Wh, b = (np.asarray(a, dtype=np.float64) for a in (x, h, Wx, Wh, b))
    _check(x, h, Wx, Wh, b, activation)
    z = np.einsum("nd,dh->nh", x, Wx) + np.einsum("nk,kh->nh", h, Wh) + b
    if activation == "linear":
        return z
    e = np.exp(-2.0 * np.abs(z))
    return np.sign(z) * (1.0 - e) / (1.0 + e)
"""),
    step_variant(valid, "row_loop", "a Python loop over the examples, one row at a time", """
def rnn_step(x, h, Wx, Wh, b, activation="tanh"):
    x, h, Wx, Wh, b = (np.asarray(a, dtype=np.float64) for a in (x, h, Wx, Wh, b))
    _check(x, h, Wx, Wh, b, activation)
    out = np.zeros(h.shape)
    for n in range(h.shape[0]):
        z = x[n] @ Wx + h[n] @ Wh + b
        out[n] = np.tanh(z) if activation == "tanh" else z
    return out
"""),
    forward_variant(valid, "calls_rnn_step", "loops over time calling rnn_step, collecting the states in a list", """
def rnn_forward(xs, h0, Wx, Wh, b, activation="tanh"):
    xs, h0, Wx, Wh, b = (np.asarray(a, dtype=np.float64) for a in (xs, h0, Wx, Wh, b))
    _check(xs, h0, Wx, Wh, b, activation)
    states = []
    h = h0
    for x in xs:
        h = rnn_step(x, h, Wx, Wh, b, activation)
        states.append(h)
    return np.array(states).reshape(xs.shape[0], h0.shape[0], h0.shape[1])
"""),
    forward_variant(valid, "inputs_projected_at_once", "projects all inputs with one product (T·N, D) @ (D, H), then loops over time", """
def rnn_forward(xs, h0, Wx, Wh, b, activation="tanh"):
    xs, h0, Wx, Wh, b = (np.asarray(a, dtype=np.float64) for a in (xs, h0, Wx, Wh, b))
    _check(xs, h0, Wx, Wh, b, activation)
    T, N, D = xs.shape
    H = h0.shape[1]
    inputs = (xs.reshape(T * N, D) @ Wx).reshape(T, N, H) + b
    hs = np.zeros((T, N, H))
    h = h0
    for t in range(T):
        z = inputs[t] + h @ Wh
        h = np.tanh(z) if activation == "tanh" else z
        hs[t] = h
    return hs
"""),
]
