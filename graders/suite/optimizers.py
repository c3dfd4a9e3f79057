"""Mutants and valid variants of the optimizers exercise."""

from . import mutant, valid

M = "optimizers"

MUTANTS = [
    # --- sgd_step ------------------------------------------------------------------------------------
    mutant(M, "sgd_step", "gradient_ascent", "adds the gradient (w + lr·dw): the step goes uphill", """
        import numpy as np

        def sgd_step(w, dw, lr=0.01):
            w, dw = np.asarray(w), np.asarray(dw)
            if w.shape != dw.shape:
                raise ValueError("shapes differ")
            return w + lr * dw
    """),
    mutant(M, "sgd_step", "in_place", "updates with w -= lr * dw, changing the caller's array (and failing for integer w)", """
        import numpy as np

        def sgd_step(w, dw, lr=0.01):
            if w.shape != dw.shape:
                raise ValueError("shapes differ")
            w -= lr * dw
            return w
    """),
    mutant(M, "sgd_step", "forgets_lr", "subtracts the raw gradient, as if lr were 1", """
        import numpy as np

        def sgd_step(w, dw, lr=0.01):
            w, dw = np.asarray(w), np.asarray(dw)
            if w.shape != dw.shape:
                raise ValueError("shapes differ")
            return w - dw
    """),
    mutant(M, "sgd_step", "no_shape_check", "trusts broadcasting: a (1,) or (n, 1) gradient updates a (n,) parameter silently", """
        def sgd_step(w, dw, lr=0.01):
            return w - lr * dw
    """),
    mutant(M, "sgd_step", "copy_keeps_int_dtype",
           "copies w and subtracts in place on the copy, which cannot hold the fractional result of an integer w", """
        import numpy as np

        def sgd_step(w, dw, lr=0.01):
            w, dw = np.asarray(w), np.asarray(dw)
            if w.shape != dw.shape:
                raise ValueError("shapes differ")
            w_new = w.copy()
            w_new -= (lr * dw).astype(w.dtype)
            return w_new
    """),
    # --- momentum_step -------------------------------------------------------------------------------
    mutant(M, "momentum_step", "pytorch_convention",
           "follows PyTorch's convention (v = beta·v + dw, w -= lr·v): the returned velocity is not the documented one", """
        import numpy as np

        def momentum_step(w, dw, v, lr=0.01, beta=0.9):
            w, dw, v = np.asarray(w), np.asarray(dw), np.asarray(v)
            if not (w.shape == dw.shape == v.shape):
                raise ValueError("shapes differ")
            v_new = beta * v + dw
            return w - lr * v_new, v_new
    """),
    mutant(M, "momentum_step", "steps_with_old_velocity", "moves w with the old velocity, then updates v", """
        import numpy as np

        def momentum_step(w, dw, v, lr=0.01, beta=0.9):
            w, dw, v = np.asarray(w), np.asarray(dw), np.asarray(v)
            if not (w.shape == dw.shape == v.shape):
                raise ValueError("shapes differ")
            w_new = w + v
            v_new = beta * v - lr * dw
            return w_new, v_new
    """),
    mutant(M, "momentum_step", "velocity_in_place", "updates the velocity with v *= beta; v -= lr * dw, changing the caller's v", """
        import numpy as np

        def momentum_step(w, dw, v, lr=0.01, beta=0.9):
            if not (w.shape == dw.shape == v.shape):
                raise ValueError("shapes differ")
            v = v.astype(np.result_type(v, dw, 1.0), copy=False)
            v *= beta
            v -= lr * dw
            return w + v, v
    """),
    mutant(M, "momentum_step", "plus_gradient", "adds lr·dw to the velocity, so momentum accelerates uphill", """
        import numpy as np

        def momentum_step(w, dw, v, lr=0.01, beta=0.9):
            w, dw, v = np.asarray(w), np.asarray(dw), np.asarray(v)
            if not (w.shape == dw.shape == v.shape):
                raise ValueError("shapes differ")
            v_new = beta * v + lr * dw
            return w + v_new, v_new
    """),
    mutant(M, "momentum_step", "forgets_beta", "keeps the whole old velocity (v - lr·dw), so it never decays", """
        import numpy as np

        def momentum_step(w, dw, v, lr=0.01, beta=0.9):
            w, dw, v = np.asarray(w), np.asarray(dw), np.asarray(v)
            if not (w.shape == dw.shape == v.shape):
                raise ValueError("shapes differ")
            v_new = v - lr * dw
            return w + v_new, v_new
    """),
    mutant(M, "momentum_step", "no_shape_check", "trusts broadcasting between w, dw and v", """
        def momentum_step(w, dw, v, lr=0.01, beta=0.9):
            v_new = beta * v - lr * dw
            return w + v_new, v_new
    """),
    # --- adam_step -----------------------------------------------------------------------------------
    mutant(M, "adam_step", "no_bias_correction", "uses m and v directly: the first steps are about 3× too large", """
        import numpy as np

        def adam_step(w, dw, m, v, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
            w, dw, m, v = (np.asarray(a) for a in (w, dw, m, v))
            if not (w.shape == dw.shape == m.shape == v.shape):
                raise ValueError("shapes differ")
            if t < 1:
                raise ValueError("t starts at 1")
            m_new = beta1 * m + (1 - beta1) * dw
            v_new = beta2 * v + (1 - beta2) * dw ** 2
            return w - lr * m_new / (np.sqrt(v_new) + eps), m_new, v_new
    """),
    mutant(M, "adam_step", "eps_inside_sqrt", "adds eps under the square root: sqrt(v_hat + eps)", """
        import numpy as np

        def adam_step(w, dw, m, v, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
            w, dw, m, v = (np.asarray(a) for a in (w, dw, m, v))
            if not (w.shape == dw.shape == m.shape == v.shape):
                raise ValueError("shapes differ")
            if t < 1:
                raise ValueError("t starts at 1")
            m_new = beta1 * m + (1 - beta1) * dw
            v_new = beta2 * v + (1 - beta2) * dw ** 2
            m_hat = m_new / (1 - beta1 ** t)
            v_hat = v_new / (1 - beta2 ** t)
            return w - lr * m_hat / np.sqrt(v_hat + eps), m_new, v_new
    """),
    mutant(M, "adam_step", "counts_from_zero", "treats t as the number of steps already taken and corrects with t + 1", """
        import numpy as np

        def adam_step(w, dw, m, v, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
            w, dw, m, v = (np.asarray(a) for a in (w, dw, m, v))
            if not (w.shape == dw.shape == m.shape == v.shape):
                raise ValueError("shapes differ")
            if t < 1:
                raise ValueError("t starts at 1")
            t = t + 1
            m_new = beta1 * m + (1 - beta1) * dw
            v_new = beta2 * v + (1 - beta2) * dw ** 2
            m_hat = m_new / (1 - beta1 ** t)
            v_hat = v_new / (1 - beta2 ** t)
            return w - lr * m_hat / (np.sqrt(v_hat) + eps), m_new, v_new
    """),
    mutant(M, "adam_step", "moments_in_place", "updates m and v in place (m *= beta1; m += ...), changing the caller's state arrays", """
        import numpy as np

        def adam_step(w, dw, m, v, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
            if not (w.shape == dw.shape == m.shape == v.shape):
                raise ValueError("shapes differ")
            if t < 1:
                raise ValueError("t starts at 1")
            m = m.astype(np.result_type(m, dw, 1.0), copy=False)
            v = v.astype(np.result_type(v, dw, 1.0), copy=False)
            m *= beta1
            m += (1 - beta1) * dw
            v *= beta2
            v += (1 - beta2) * dw ** 2
            m_hat = m / (1 - beta1 ** t)
            v_hat = v / (1 - beta2 ** t)
            return w - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
    """),
    mutant(M, "adam_step", "forgets_sqrt", "divides by v_hat + eps instead of sqrt(v_hat) + eps", """
        import numpy as np

        def adam_step(w, dw, m, v, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
            w, dw, m, v = (np.asarray(a) for a in (w, dw, m, v))
            if not (w.shape == dw.shape == m.shape == v.shape):
                raise ValueError("shapes differ")
            if t < 1:
                raise ValueError("t starts at 1")
            m_new = beta1 * m + (1 - beta1) * dw
            v_new = beta2 * v + (1 - beta2) * dw ** 2
            m_hat = m_new / (1 - beta1 ** t)
            v_hat = v_new / (1 - beta2 ** t)
            return w - lr * m_hat / (v_hat + eps), m_new, v_new
    """),
    mutant(M, "adam_step", "corrects_m_only", "bias-corrects the first moment but not the second", """
        import numpy as np

        def adam_step(w, dw, m, v, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
            w, dw, m, v = (np.asarray(a) for a in (w, dw, m, v))
            if not (w.shape == dw.shape == m.shape == v.shape):
                raise ValueError("shapes differ")
            if t < 1:
                raise ValueError("t starts at 1")
            m_new = beta1 * m + (1 - beta1) * dw
            v_new = beta2 * v + (1 - beta2) * dw ** 2
            m_hat = m_new / (1 - beta1 ** t)
            return w - lr * m_hat / (np.sqrt(v_new) + eps), m_new, v_new
    """),
    mutant(M, "adam_step", "no_t_check", "accepts t = 0, where the bias correction divides by zero", """
        import numpy as np

        def adam_step(w, dw, m, v, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
            w, dw, m, v = (np.asarray(a) for a in (w, dw, m, v))
            if not (w.shape == dw.shape == m.shape == v.shape):
                raise ValueError("shapes differ")
            m_new = beta1 * m + (1 - beta1) * dw
            v_new = beta2 * v + (1 - beta2) * dw ** 2
            with np.errstate(all="ignore"):
                m_hat = m_new / (1 - beta1 ** t)
                v_hat = v_new / (1 - beta2 ** t)
                return w - lr * m_hat / (np.sqrt(v_hat) + eps), m_new, v_new
    """),
]

VALID = [
    # --- sgd_step ------------------------------------------------------------------------------------
    valid(M, "sgd_step", "float_copy_in_place", "a float64 copy of w, updated in place", """
        import numpy as np

        def sgd_step(w, dw, lr=0.01):
            if np.shape(w) != np.shape(dw):
                raise ValueError("w and dw must have the same shape")
            w_new = np.array(w, dtype=np.float64)
            w_new -= lr * np.asarray(dw, dtype=np.float64)
            return w_new
    """),
    valid(M, "sgd_step", "negative_step", "np.add with the step -lr·dw", """
        import numpy as np

        def sgd_step(w, dw, lr=0.01):
            w, dw = np.asarray(w), np.asarray(dw)
            if w.shape != dw.shape:
                raise ValueError("shapes differ")
            return np.add(w, np.multiply(-lr, dw))
    """),
    # --- momentum_step -------------------------------------------------------------------------------
    valid(M, "momentum_step", "written_out", "computes w_new = w + beta·v - lr·dw directly, not from v_new", """
        import numpy as np

        def momentum_step(w, dw, v, lr=0.01, beta=0.9):
            w, dw, v = np.asarray(w), np.asarray(dw), np.asarray(v)
            if w.shape != dw.shape or w.shape != v.shape:
                raise ValueError("shapes differ")
            w_new = w + beta * v - lr * dw
            v_new = beta * v - lr * dw
            return w_new, v_new
    """),
    valid(M, "momentum_step", "float_copies", "float64 copies of the state, updated in place", """
        import numpy as np

        def momentum_step(w, dw, v, lr=0.01, beta=0.9):
            if not (np.shape(w) == np.shape(dw) == np.shape(v)):
                raise ValueError("shapes differ")
            v_new = np.array(v, dtype=np.float64)
            v_new *= beta
            v_new -= lr * np.asarray(dw, dtype=np.float64)
            w_new = np.array(w, dtype=np.float64)
            w_new += v_new
            return w_new, v_new
    """),
    # --- adam_step -----------------------------------------------------------------------------------
    valid(M, "adam_step", "pytorch_form", "PyTorch's arithmetic: step size lr / c1, denominator sqrt(v) / sqrt(c2) + eps", """
        import math
        import numpy as np

        def adam_step(w, dw, m, v, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
            w, dw, m, v = (np.asarray(a) for a in (w, dw, m, v))
            if not (w.shape == dw.shape == m.shape == v.shape):
                raise ValueError("shapes differ")
            if t < 1:
                raise ValueError("t counts from 1")
            m_new = m + (1 - beta1) * (dw - m)           # lerp form
            v_new = beta2 * v + (1 - beta2) * dw * dw
            c1 = 1 - beta1 ** t
            c2 = 1 - beta2 ** t
            denom = np.sqrt(v_new) / math.sqrt(c2) + eps
            return w - (lr / c1) * m_new / denom, m_new, v_new
    """),
    valid(M, "adam_step", "folded_correction", "the Adam paper's efficient form: lr_t = lr·sqrt(c2)/c1 and eps_hat = eps·sqrt(c2), powers by a loop", """
        import numpy as np

        def adam_step(w, dw, m, v, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
            w, dw, m, v = (np.asarray(a, dtype=np.float64) for a in (w, dw, m, v))
            if not (w.shape == dw.shape == m.shape == v.shape):
                raise ValueError("shapes differ")
            if t < 1:
                raise ValueError("t counts from 1")
            p1 = p2 = 1.0
            for _ in range(t):
                p1 *= beta1
                p2 *= beta2
            m_new = beta1 * m + (1 - beta1) * dw
            v_new = beta2 * v + (1 - beta2) * np.square(dw)
            lr_t = lr * np.sqrt(1 - p2) / (1 - p1)
            eps_hat = eps * np.sqrt(1 - p2)
            return w - lr_t * m_new / (np.sqrt(v_new) + eps_hat), m_new, v_new
    """),
]
