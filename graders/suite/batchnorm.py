"""Mutants and valid variants of the batchnorm exercise."""

from . import mutant, valid

M = "batchnorm"

# The reference's input checks, shared by the forward variants below.
FORWARD_CHECKS = '''
def _check(x, gamma, beta, eps):
    if x.ndim != 2 or x.shape[0] == 0:
        raise ValueError("x must be (N, D) with N >= 1")
    if gamma.shape != (x.shape[1],) or beta.shape != (x.shape[1],):
        raise ValueError("gamma and beta must be (D,)")
    if not eps > 0:
        raise ValueError("eps must be positive")
'''

BACKWARD_CHECKS = '''
def _check(dout, x_hat, gamma, inv_std):
    if dout.shape != x_hat.shape:
        raise ValueError("dout must have x_hat's shape")
'''


def forward_variant(make, name, why, body):
    return make(M, "batchnorm_forward", name, why, "import numpy as np\n" + FORWARD_CHECKS + body)


def backward_variant(make, name, why, body):
    return make(M, "batchnorm_backward", name, why, "import numpy as np\n" + BACKWARD_CHECKS + body)


MUTANTS = [
    # --- batchnorm_forward -------------------------------------------------------------------------
    forward_variant(mutant, "unbiased_variance", "uses the unbiased variance (ddof=1, divide by N - 1), as in statistics classes", """
def batchnorm_forward(x, gamma, beta, eps=1e-5):
    x = np.asarray(x, dtype=float)
    gamma, beta = np.asarray(gamma), np.asarray(beta)
    _check(x, gamma, beta, eps)
    mu = x.mean(axis=0)
    var = x.var(axis=0, ddof=1)
    inv_std = 1 / np.sqrt(var + eps)
    x_hat = (x - mu) * inv_std
    return x_hat * gamma + beta, (x_hat, gamma, inv_std)
"""),
    forward_variant(mutant, "eps_outside_sqrt", "adds eps after the square root: 1 / (sqrt(var) + eps)", """
def batchnorm_forward(x, gamma, beta, eps=1e-5):
    x = np.asarray(x, dtype=float)
    gamma, beta = np.asarray(gamma), np.asarray(beta)
    _check(x, gamma, beta, eps)
    mu = x.mean(axis=0)
    inv_std = 1 / (np.sqrt(x.var(axis=0)) + eps)
    x_hat = (x - mu) * inv_std
    return x_hat * gamma + beta, (x_hat, gamma, inv_std)
"""),
    forward_variant(mutant, "normalises_rows", "takes the statistics over the features (axis=1), as layer norm does", """
def batchnorm_forward(x, gamma, beta, eps=1e-5):
    x = np.asarray(x, dtype=float)
    gamma, beta = np.asarray(gamma), np.asarray(beta)
    _check(x, gamma, beta, eps)
    mu = x.mean(axis=1, keepdims=True)
    inv_std = 1 / np.sqrt(x.var(axis=1, keepdims=True) + eps)
    x_hat = (x - mu) * inv_std
    return x_hat * gamma + beta, (x_hat, gamma, inv_std[:, 0])
"""),
    forward_variant(mutant, "forgets_eps", "divides by sqrt(var): a constant feature or a batch of one gives 0/0", """
def batchnorm_forward(x, gamma, beta, eps=1e-5):
    x = np.asarray(x, dtype=float)
    gamma, beta = np.asarray(gamma), np.asarray(beta)
    _check(x, gamma, beta, eps)
    mu = x.mean(axis=0)
    inv_std = 1 / np.sqrt(x.var(axis=0))
    x_hat = (x - mu) * inv_std
    return x_hat * gamma + beta, (x_hat, gamma, inv_std)
"""),
    forward_variant(mutant, "centres_in_place", "centres x in place (x -= mu), changing the caller's array", """
def batchnorm_forward(x, gamma, beta, eps=1e-5):
    x = np.asarray(x)
    gamma, beta = np.asarray(gamma), np.asarray(beta)
    _check(x, gamma, beta, eps)
    x -= x.mean(axis=0)
    inv_std = 1 / np.sqrt(np.mean(x ** 2, axis=0) + eps)
    x_hat = x * inv_std
    return x_hat * gamma + beta, (x_hat, gamma, inv_std)
"""),
    mutant(M, "batchnorm_forward", "no_validation", "checks nothing: a (1,) gamma broadcasts, eps <= 0 and 1-D x go through", """
        import numpy as np

        def batchnorm_forward(x, gamma, beta, eps=1e-5):
            x = np.asarray(x, dtype=float)
            mu = x.mean(axis=0)
            inv_std = 1 / np.sqrt(x.var(axis=0) + eps)
            x_hat = (x - mu) * inv_std
            return x_hat * gamma + beta, (x_hat, gamma, inv_std)
    """),
    forward_variant(mutant, "caches_std", "stores the standard deviation sqrt(var + eps) in the cache instead of its inverse", """
def batchnorm_forward(x, gamma, beta, eps=1e-5):
    x = np.asarray(x, dtype=float)
    gamma, beta = np.asarray(gamma), np.asarray(beta)
    _check(x, gamma, beta, eps)
    std = np.sqrt(x.var(axis=0) + eps)
    x_hat = (x - x.mean(axis=0)) / std
    return x_hat * gamma + beta, (x_hat, gamma, std)
"""),

    # --- batchnorm_backward ------------------------------------------------------------------------
    backward_variant(mutant, "statistics_as_constants", "treats mu and var as constants: dx = dout * gamma * inv_std", """
def batchnorm_backward(dout, cache):
    x_hat, gamma, inv_std = (np.asarray(a, dtype=float) for a in cache)
    dout = np.asarray(dout, dtype=float)
    _check(dout, x_hat, gamma, inv_std)
    return dout * gamma * inv_std, (dout * x_hat).sum(axis=0), dout.sum(axis=0)
"""),
    backward_variant(mutant, "forgets_variance_term", "keeps the mean's term but drops the variance's term of dx", """
def batchnorm_backward(dout, cache):
    x_hat, gamma, inv_std = (np.asarray(a, dtype=float) for a in cache)
    dout = np.asarray(dout, dtype=float)
    _check(dout, x_hat, gamma, inv_std)
    dx_hat = dout * gamma
    dx = inv_std * (dx_hat - dx_hat.mean(axis=0))
    return dx, (dout * x_hat).sum(axis=0), dout.sum(axis=0)
"""),
    backward_variant(mutant, "means_for_parameters", "averages dgamma and dbeta over the batch instead of summing", """
def batchnorm_backward(dout, cache):
    x_hat, gamma, inv_std = (np.asarray(a, dtype=float) for a in cache)
    dout = np.asarray(dout, dtype=float)
    _check(dout, x_hat, gamma, inv_std)
    N = x_hat.shape[0]
    dx_hat = dout * gamma
    dx = inv_std / N * (N * dx_hat - dx_hat.sum(axis=0) - x_hat * (dx_hat * x_hat).sum(axis=0))
    return dx, (dout * x_hat).mean(axis=0), dout.mean(axis=0)
"""),
    backward_variant(mutant, "forgets_gamma", "uses dout for dx_hat, forgetting the scale gamma", """
def batchnorm_backward(dout, cache):
    x_hat, gamma, inv_std = (np.asarray(a, dtype=float) for a in cache)
    dout = np.asarray(dout, dtype=float)
    _check(dout, x_hat, gamma, inv_std)
    N = x_hat.shape[0]
    dx = inv_std / N * (N * dout - dout.sum(axis=0) - x_hat * (dout * x_hat).sum(axis=0))
    return dx, (dout * x_hat).sum(axis=0), dout.sum(axis=0)
"""),
    backward_variant(mutant, "scales_dout_in_place", "computes dx_hat by scaling dout in place (dout *= gamma)", """
def batchnorm_backward(dout, cache):
    x_hat, gamma, inv_std = (np.asarray(a, dtype=float) for a in cache)
    dout = np.asarray(dout)
    _check(dout, x_hat, gamma, inv_std)
    N = x_hat.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dout *= gamma.astype(dout.dtype)
    dx = inv_std / N * (N * dout - dout.sum(axis=0) - x_hat * (dout * x_hat).sum(axis=0))
    return dx, dgamma, dbeta
"""),
    mutant(M, "batchnorm_backward", "no_shape_check", "never compares dout with x_hat: a single row of dout is broadcast silently", """
        import numpy as np

        def batchnorm_backward(dout, cache):
            x_hat, gamma, inv_std = cache
            N = x_hat.shape[0]
            dx_hat = dout * gamma
            dx = inv_std / N * (N * dx_hat - dx_hat.sum(axis=0) - x_hat * (dx_hat * x_hat).sum(axis=0))
            return dx, (dout * x_hat).sum(axis=0), np.sum(dout * np.ones_like(x_hat), axis=0)
    """),
    backward_variant(mutant, "returns_dbeta_second", "returns (dx, dbeta, dgamma) instead of (dx, dgamma, dbeta)", """
def batchnorm_backward(dout, cache):
    x_hat, gamma, inv_std = (np.asarray(a, dtype=float) for a in cache)
    dout = np.asarray(dout, dtype=float)
    _check(dout, x_hat, gamma, inv_std)
    N = x_hat.shape[0]
    dx_hat = dout * gamma
    dx = inv_std / N * (N * dx_hat - dx_hat.sum(axis=0) - x_hat * (dx_hat * x_hat).sum(axis=0))
    return dx, dout.sum(axis=0), (dout * x_hat).sum(axis=0)
"""),
]

VALID = [
    forward_variant(valid, "np_var_and_division", "np.var and np.std-style division by sqrt(var + eps)", """
def batchnorm_forward(x, gamma, beta, eps=1e-5):
    x = np.asarray(x, dtype=np.float64)
    gamma, beta = np.asarray(gamma), np.asarray(beta)
    _check(x, gamma, beta, eps)
    std = np.sqrt(np.var(x, axis=0) + eps)
    x_hat = (x - np.mean(x, axis=0)) / std
    return gamma * x_hat + beta, (x_hat, gamma, 1.0 / std)
"""),
    forward_variant(valid, "column_loop", "a Python loop over the features, with sums divided by N", """
def batchnorm_forward(x, gamma, beta, eps=1e-5):
    x = np.asarray(x, dtype=np.float64)
    gamma, beta = np.asarray(gamma), np.asarray(beta)
    _check(x, gamma, beta, eps)
    N, D = x.shape
    x_hat = np.zeros((N, D))
    inv_std = np.zeros(D)
    out = np.zeros((N, D))
    for d in range(D):
        column = x[:, d]
        mean = sum(column) / N
        var = sum((v - mean) ** 2 for v in column) / N
        inv_std[d] = (var + eps) ** -0.5
        x_hat[:, d] = (column - mean) * inv_std[d]
        out[:, d] = gamma[d] * x_hat[:, d] + beta[d]
    return out, (x_hat, gamma, inv_std)
"""),
    forward_variant(valid, "float32_stays_float32", "computes in float32 when x is float32 (the input's own precision)", """
def batchnorm_forward(x, gamma, beta, eps=1e-5):
    x = np.asarray(x)
    x = x.astype(np.float32 if x.dtype == np.float32 else np.float64)
    gamma, beta = np.asarray(gamma), np.asarray(beta)
    _check(x, gamma, beta, eps)
    mu = x.mean(axis=0)
    var = ((x - mu) ** 2).mean(axis=0)
    inv_std = 1 / np.sqrt(var + x.dtype.type(eps))
    x_hat = (x - mu) * inv_std
    return x_hat * gamma + beta, (x_hat, gamma, inv_std)
"""),
    backward_variant(valid, "staged_cs231n", "the staged computation graph: dvar and dmu first, rebuilding x - mu from the cache", """
def batchnorm_backward(dout, cache):
    x_hat, gamma, inv_std = (np.asarray(a, dtype=np.float64) for a in cache)
    dout = np.asarray(dout, dtype=np.float64)
    _check(dout, x_hat, gamma, inv_std)
    N = dout.shape[0]
    x_mu = x_hat / inv_std
    dx_hat = dout * gamma
    dvar = np.sum(dx_hat * x_mu, axis=0) * -0.5 * inv_std ** 3
    dmu = np.sum(-dx_hat * inv_std, axis=0) + dvar * np.mean(-2.0 * x_mu, axis=0)
    dx = dx_hat * inv_std + dvar * 2.0 * x_mu / N + dmu / N
    return dx, np.sum(dout * x_hat, axis=0), np.sum(dout, axis=0)
"""),
    backward_variant(valid, "means_form", "dx = inv_std * (dx_hat - mean(dx_hat) - x_hat * mean(dx_hat * x_hat))", """
def batchnorm_backward(dout, cache):
    x_hat, gamma, inv_std = (np.asarray(a, dtype=np.float64) for a in cache)
    dout = np.asarray(dout, dtype=np.float64)
    _check(dout, x_hat, gamma, inv_std)
    dx_hat = dout * gamma
    dx = inv_std * (dx_hat - dx_hat.mean(axis=0) - x_hat * (dx_hat * x_hat).mean(axis=0))
    return dx, np.einsum("nd,nd->d", dout, x_hat), dout.sum(axis=0)
"""),
    backward_variant(valid, "jacobian_per_column", "builds each column's N x N Jacobian inv_std (I - 1/N - x_hat x_hat^T / N) and multiplies", """
def batchnorm_backward(dout, cache):
    x_hat, gamma, inv_std = (np.asarray(a, dtype=np.float64) for a in cache)
    dout = np.asarray(dout, dtype=np.float64)
    _check(dout, x_hat, gamma, inv_std)
    N, D = dout.shape
    dx = np.zeros((N, D))
    for d in range(D):
        xh = x_hat[:, d]
        J = inv_std[d] * (np.eye(N) - 1.0 / N - np.outer(xh, xh) / N)   # J[m, n] = dx_hat[m] / dx[n]
        dx[:, d] = J.T @ (dout[:, d] * gamma[d])
    return dx, (dout * x_hat).sum(axis=0), dout.sum(axis=0)
"""),
]
