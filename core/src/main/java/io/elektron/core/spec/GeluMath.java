package io.elektron.core.spec;

/**
 * The exact (erf) GELU used by BERT/ELECTRA: gelu(x) = x * Phi(x), Phi(x) = (1 + erf(x / sqrt 2)) / 2.
 *
 * <p>Java has no erf. For |z| &lt; 0.5 a Maclaurin series (7 terms, truncation error &lt; 5e-10); elsewhere Abramowitz
 * and Stegun 7.1.26 (absolute error &lt; 1.5e-7). The series branch matters: 7.1.26 alone has a relative error near
 * 5e-7 at small z, where GELU's output is small and HF parity is judged.
 *
 * <p>The reference every backend's GELU kernels are tested against.
 */
public final class GeluMath {
    private static final double INV_SQRT2 = 0.7071067811865476;
    private static final double INV_SQRT_2PI = 0.3989422804014327;
    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;

    private GeluMath() {
    }

    public static double erf(double z) {
        double a = Math.abs(z);
        if (a < 0.5) {
            double z2 = z * z;
            // sum_k (-1)^k z^(2k+1) / (k! (2k+1)), k = 0..6
            double series = 1.0 + z2 * (-1.0 / 3 + z2 * (1.0 / 10 + z2 * (-1.0 / 42 + z2 * (1.0 / 216
                    + z2 * (-1.0 / 1320 + z2 * (1.0 / 9360))))));
            return TWO_OVER_SQRT_PI * z * series;
        }
        double t = 1.0 / (1.0 + 0.3275911 * a);
        double poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
        double y = 1.0 - poly * Math.exp(-a * a);
        return z < 0 ? -y : y;
    }

    public static float gelu(float x) {
        return (float) (x * 0.5 * (1.0 + erf(x * INV_SQRT2)));
    }

    /** d gelu / dx = Phi(x) + x * phi(x). */
    public static float geluDerivative(float x) {
        double cdf = 0.5 * (1.0 + erf(x * INV_SQRT2));
        double pdf = INV_SQRT_2PI * Math.exp(-0.5 * (double) x * x);
        return (float) (cdf + x * pdf);
    }
}
