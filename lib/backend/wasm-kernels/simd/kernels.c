/*
 * SIMD helpers for gan-course's tfjs wasm kernels: the data movement around XNNPACK's GEMMs
 * (transposes, im2col/col2im), reductions over outer axes, comparisons and select.
 *
 * Compiled to a tiny WebAssembly module (see build.sh; the binary is embedded in ../simd.ts)
 * that imports the tfjs wasm backend's own linear memory, so every pointer below is a tensor's
 * byte offset in that heap and nothing is copied in or out. The functions use no static data
 * and no shadow stack (build.sh checks), so they never write outside the buffers they are given.
 * Single-threaded; wasm SIMD (128-bit) only where it pays; no libc.
 */
#include <stdint.h>
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))

/* ---------------------------------------------------------------- comparisons */
/* out[i] = a[i] OP b[i] (0/1 bytes). mode 0: both arrays, 1: b is a scalar, 2: a is a scalar. */
#define CMP(NAME, SIMD, OP)                                                                    \
  EXPORT(NAME) void NAME(const float *a, const float *b, uint8_t *out, int n, int mode) {      \
    const v128_t one = wasm_i8x16_splat(1);                                                    \
    const v128_t as = wasm_f32x4_splat(a[0]), bs = wasm_f32x4_splat(b[0]);                     \
    int i = 0;                                                                                 \
    for (; i + 16 <= n; i += 16) {                                                             \
      v128_t m[4];                                                                             \
      for (int k = 0; k < 4; k++) {                                                            \
        v128_t x = mode == 2 ? as : wasm_v128_load(a + i + 4 * k);                             \
        v128_t y = mode == 1 ? bs : wasm_v128_load(b + i + 4 * k);                             \
        m[k] = SIMD(x, y);                                                                     \
      }                                                                                        \
      v128_t h0 = wasm_i16x8_narrow_i32x4(m[0], m[1]), h1 = wasm_i16x8_narrow_i32x4(m[2], m[3]); \
      wasm_v128_store(out + i, wasm_v128_and(wasm_i8x16_narrow_i16x8(h0, h1), one));           \
    }                                                                                          \
    for (; i < n; i++) {                                                                       \
      float x = mode == 2 ? a[0] : a[i], y = mode == 1 ? b[0] : b[i];                          \
      out[i] = x OP y;                                                                         \
    }                                                                                          \
  }
CMP(cmp_gt, wasm_f32x4_gt, >)
CMP(cmp_ge, wasm_f32x4_ge, >=)
CMP(cmp_lt, wasm_f32x4_lt, <)
CMP(cmp_le, wasm_f32x4_le, <=)
CMP(cmp_eq, wasm_f32x4_eq, ==)
CMP(cmp_ne, wasm_f32x4_ne, !=)

/* ---------------------------------------------------------------- select */
/* o[i] = c[i] ? t[i] : e[i] on 32-bit words, bitwise (exact for NaN and -0). */
EXPORT(select32) void select32(const uint8_t *c, const uint32_t *t, const uint32_t *e, uint32_t *o, int n) {
  const v128_t zero = wasm_i32x4_splat(0);
  int i = 0;
  for (; i + 16 <= n; i += 16) {
    v128_t cb = wasm_v128_load(c + i);
    v128_t lo = wasm_u16x8_extend_low_u8x16(cb), hi = wasm_u16x8_extend_high_u8x16(cb);
    v128_t m[4] = {wasm_u32x4_extend_low_u16x8(lo), wasm_u32x4_extend_high_u16x8(lo),
                   wasm_u32x4_extend_low_u16x8(hi), wasm_u32x4_extend_high_u16x8(hi)};
    for (int k = 0; k < 4; k++) {
      v128_t mask = wasm_i32x4_ne(m[k], zero);
      wasm_v128_store(o + i + 4 * k, wasm_v128_bitselect(wasm_v128_load(t + i + 4 * k), wasm_v128_load(e + i + 4 * k), mask));
    }
  }
  for (; i < n; i++) o[i] = c[i] ? t[i] : e[i];
}

/* ---------------------------------------------------------------- reductions */
/* acc[j] += sum_r x[r*K + j] for r < R, j < K; acc in float64 (rows summed 4 at a time in f32). */
EXPORT(colsum_add) void colsum_add(const float *x, int R, int K, double *acc) {
  int r = 0;
  for (; r + 4 <= R; r += 4) {
    const float *x0 = x + r * K, *x1 = x0 + K, *x2 = x1 + K, *x3 = x2 + K;
    int j = 0;
    for (; j + 4 <= K; j += 4) {
      v128_t s = wasm_f32x4_add(wasm_f32x4_add(wasm_v128_load(x0 + j), wasm_v128_load(x1 + j)),
                                wasm_f32x4_add(wasm_v128_load(x2 + j), wasm_v128_load(x3 + j)));
      wasm_v128_store(acc + j, wasm_f64x2_add(wasm_v128_load(acc + j), wasm_f64x2_promote_low_f32x4(s)));
      wasm_v128_store(acc + j + 2, wasm_f64x2_add(wasm_v128_load(acc + j + 2),
                                                  wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(s, s, 2, 3, 0, 1))));
    }
    for (; j < K; j++) acc[j] += (double)x0[j] + (double)x1[j] + (double)x2[j] + (double)x3[j];
  }
  for (; r < R; r++) {
    const float *xr = x + r * K;
    for (int j = 0; j < K; j++) acc[j] += xr[j];
  }
}

/* ---------------------------------------------------------------- transposes */
/* One plane of a permutation: out[i + j*ob] = x[i*xa + j] for i < A, j < B (4-byte elements),
 * in 4x4 register transposes. */
EXPORT(transpose_plane32) void transpose_plane32(const uint32_t *x, uint32_t *out, int A, int B, int xa, int ob) {
  int i = 0;
  for (; i + 4 <= A; i += 4) {
    int j = 0;
    for (; j + 4 <= B; j += 4) {
      v128_t r0 = wasm_v128_load(x + (i + 0) * xa + j), r1 = wasm_v128_load(x + (i + 1) * xa + j);
      v128_t r2 = wasm_v128_load(x + (i + 2) * xa + j), r3 = wasm_v128_load(x + (i + 3) * xa + j);
      v128_t t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7);
      v128_t t2 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5), t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
      wasm_v128_store(out + (j + 0) * ob + i, wasm_i64x2_shuffle(t0, t2, 0, 2));
      wasm_v128_store(out + (j + 1) * ob + i, wasm_i64x2_shuffle(t0, t2, 1, 3));
      wasm_v128_store(out + (j + 2) * ob + i, wasm_i64x2_shuffle(t1, t3, 0, 2));
      wasm_v128_store(out + (j + 3) * ob + i, wasm_i64x2_shuffle(t1, t3, 1, 3));
    }
    for (; j < B; j++)
      for (int k = 0; k < 4; k++) out[(i + k) + j * ob] = x[(i + k) * xa + j];
  }
  for (; i < A; i++)
    for (int j = 0; j < B; j++) out[i + j * ob] = x[i * xa + j];
}

/* ---------------------------------------------------------------- im2col / col2im */
/* Convolution geometry, NHWC: y[n, oh, ow] reads x[n, oh*sH + kh*dH - padT, ow*sW + kw*dW - padL]. */
#define GEOMETRY int batch, int inH, int inW, int inC, int outH, int outW, int kH, int kW, \
                 int sH, int sW, int dH, int dW, int padT, int padL

/* colsT[(kh*kW + kw)*inC + c][p] = x[...] (0 outside), p = (n*outH + oh)*outW + ow. */
EXPORT(im2col_t) void im2col_t(const float *x, float *colsT, GEOMETRY) {
  const int pixels = batch * outH * outW;
  for (int kh = 0; kh < kH; kh++) {
    for (int kw = 0; kw < kW; kw++) {
      float *row0 = colsT + (kh * kW + kw) * inC * pixels;
      int p = 0;
      for (int n = 0; n < batch; n++) {
        for (int oh = 0; oh < outH; oh++) {
          const int ih = oh * sH - padT + kh * dH;
          const int rowOk = ih >= 0 && ih < inH;
          for (int ow = 0; ow < outW; ow++, p++) {
            const int iw = ow * sW - padL + kw * dW;
            if (rowOk && iw >= 0 && iw < inW) {
              const float *src = x + ((n * inH + ih) * inW + iw) * inC;
              for (int c = 0; c < inC; c++) row0[c * pixels + p] = src[c];
            } else {
              for (int c = 0; c < inC; c++) row0[c * pixels + p] = 0;
            }
          }
        }
      }
    }
  }
}

/* dx = 0; dx[n, ih, iw, c] += cols[p][(kh*kW + kw)*inC + c] (the adjoint of im2col). */
EXPORT(col2im_add) void col2im_add(const float *cols, float *dx, GEOMETRY) {
  const int K = kH * kW * inC;
  const int total = batch * inH * inW * inC;
  for (int i = 0; i < total; i++) dx[i] = 0;
  int p = 0;
  for (int n = 0; n < batch; n++) {
    for (int oh = 0; oh < outH; oh++) {
      for (int ow = 0; ow < outW; ow++, p++) {
        for (int kh = 0; kh < kH; kh++) {
          const int ih = oh * sH - padT + kh * dH;
          if (ih < 0 || ih >= inH) continue;
          for (int kw = 0; kw < kW; kw++) {
            const int iw = ow * sW - padL + kw * dW;
            if (iw < 0 || iw >= inW) continue;
            const float *src = cols + p * K + (kh * kW + kw) * inC;
            float *dst = dx + ((n * inH + ih) * inW + iw) * inC;
            for (int c = 0; c < inC; c++) dst[c] += src[c];
          }
        }
      }
    }
  }
}

/* ---------------------------------------------------------------- channel-broadcast arithmetic */
/* out[r*C + j] = a[r*C + j] OP c[j] (mode 0) or c[j] OP a[r*C + j] (mode 1); C == 1 is a scalar c. */
#define BCAST(NAME, SIMD, OP)                                                                  \
  EXPORT(NAME) void NAME(const float *a, const float *c, float *out, int R, int C, int mode) {  \
    if (C == 1) {                                                                              \
      const v128_t s = wasm_f32x4_splat(c[0]);                                                 \
      const float cs = c[0];                                                                   \
      const int n = R;                                                                         \
      int i = 0;                                                                               \
      if (mode == 0) {                                                                         \
        for (; i + 4 <= n; i += 4) wasm_v128_store(out + i, SIMD(wasm_v128_load(a + i), s));   \
        for (; i < n; i++) out[i] = a[i] OP cs;                                                \
      } else {                                                                                 \
        for (; i + 4 <= n; i += 4) wasm_v128_store(out + i, SIMD(s, wasm_v128_load(a + i)));   \
        for (; i < n; i++) out[i] = cs OP a[i];                                                \
      }                                                                                        \
      return;                                                                                  \
    }                                                                                          \
    for (int r = 0; r < R; r++) {                                                              \
      const float *ar = a + r * C;                                                             \
      float *o = out + r * C;                                                                  \
      int j = 0;                                                                               \
      if (mode == 0) {                                                                         \
        for (; j + 4 <= C; j += 4) wasm_v128_store(o + j, SIMD(wasm_v128_load(ar + j), wasm_v128_load(c + j))); \
        for (; j < C; j++) o[j] = ar[j] OP c[j];                                               \
      } else {                                                                                 \
        for (; j + 4 <= C; j += 4) wasm_v128_store(o + j, SIMD(wasm_v128_load(c + j), wasm_v128_load(ar + j))); \
        for (; j < C; j++) o[j] = c[j] OP ar[j];                                               \
      }                                                                                        \
    }                                                                                          \
  }
BCAST(bcast_add, wasm_f32x4_add, +)
BCAST(bcast_sub, wasm_f32x4_sub, -)
BCAST(bcast_mul, wasm_f32x4_mul, *)
BCAST(bcast_div, wasm_f32x4_div, /)

/* ---------------------------------------------------------------- batch norm */
/* out[r*C + j] = (x[r*C + j] - mean[j]) * inv[j] + offset[j]; offset may be 0 (absent). */
EXPORT(batchnorm) void batchnorm(const float *x, const float *mean, const float *inv, const float *offset, float *out, int R, int C) {
  for (int r = 0; r < R; r++) {
    const float *xr = x + r * C;
    float *o = out + r * C;
    int j = 0;
    for (; j + 4 <= C; j += 4) {
      v128_t y = wasm_f32x4_mul(wasm_f32x4_sub(wasm_v128_load(xr + j), wasm_v128_load(mean + j)), wasm_v128_load(inv + j));
      if (offset) y = wasm_f32x4_add(y, wasm_v128_load(offset + j));
      wasm_v128_store(o + j, y);
    }
    for (; j < C; j++) o[j] = (xr[j] - mean[j]) * inv[j] + (offset ? offset[j] : 0.0f);
  }
}

/* ---------------------------------------------------------------- matrix-vector */
/* out[j] = sum_r w[r] * x[r*K + j]: A^T v for A = x [R, K] (a dense layer's weight gradient with one unit). */
EXPORT(weighted_rowsum) void weighted_rowsum(const float *x, const float *w, int R, int K, float *out) {
  for (int j = 0; j < K; j++) out[j] = 0;
  for (int r = 0; r < R; r++) {
    const float *xr = x + r * K;
    const v128_t wr = wasm_f32x4_splat(w[r]);
    const float ws = w[r];
    int j = 0;
    for (; j + 4 <= K; j += 4) wasm_v128_store(out + j, wasm_f32x4_add(wasm_v128_load(out + j), wasm_f32x4_mul(wr, wasm_v128_load(xr + j))));
    for (; j < K; j++) out[j] += ws * xr[j];
  }
}
