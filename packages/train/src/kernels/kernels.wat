;; The package's hot loops: binning's and gradient boosting's (compiled by scripts/build-wasm.mjs into
;; kernels-wasm.ts). Pointers are byte offsets into the one shared memory.
;;
;; A histogram holds, per feature, 256 bins of four doubles: Σ gradient, Σ hessian, row count, 0 (32 bytes, so the
;; gradient and hessian of a row are added to a bin in one 128-bit add). Sums run in row order: the same bits as
;; adding one row after the other in JavaScript, whichever features a call covers.
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; fill(codes, cols, hist, g, h, order, start, end, f0, f1): features [f0, f1) of `hist` over rows order[start, end)
  ;; of the row-major byte codes (`cols` per row), zeroed first.
  (func (export "fill")
    (param $codes i32) (param $cols i32) (param $hist i32) (param $g i32) (param $h i32) (param $order i32)
    (param $start i32) (param $end i32) (param $f0 i32) (param $f1 i32)
    (local $i i32) (local $r i32) (local $row i32) (local $bins i32) (local $at i32) (local $f i32) (local $v v128)
    (memory.fill
      (i32.add (local.get $hist) (i32.shl (local.get $f0) (i32.const 13)))
      (i32.const 0)
      (i32.shl (i32.sub (local.get $f1) (local.get $f0)) (i32.const 13)))
    (local.set $i (local.get $start))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_s (local.get $i) (local.get $end)))
        (local.set $r (i32.load (i32.add (local.get $order) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $v
          (f64x2.replace_lane 1
            (f64x2.splat (f64.load (i32.add (local.get $g) (i32.shl (local.get $r) (i32.const 3)))))
            (f64.load (i32.add (local.get $h) (i32.shl (local.get $r) (i32.const 3))))))
        (local.set $row (i32.add (local.get $codes) (i32.add (i32.mul (local.get $r) (local.get $cols)) (local.get $f0))))
        (local.set $bins (i32.add (local.get $hist) (i32.shl (local.get $f0) (i32.const 13))))
        (local.set $f (local.get $f0))
        ;; Four features a step.
        (block $quads_done
          (loop $quads
            (br_if $quads_done (i32.gt_s (i32.add (local.get $f) (i32.const 4)) (local.get $f1)))
            (local.set $at (i32.add (local.get $bins) (i32.shl (i32.load8_u offset=0 (local.get $row)) (i32.const 5))))
            (v128.store offset=0 (local.get $at) (f64x2.add (v128.load offset=0 (local.get $at)) (local.get $v)))
            (f64.store offset=16 (local.get $at) (f64.add (f64.load offset=16 (local.get $at)) (f64.const 1)))
            (local.set $at (i32.add (local.get $bins) (i32.shl (i32.load8_u offset=1 (local.get $row)) (i32.const 5))))
            (v128.store offset=8192 (local.get $at) (f64x2.add (v128.load offset=8192 (local.get $at)) (local.get $v)))
            (f64.store offset=8208 (local.get $at) (f64.add (f64.load offset=8208 (local.get $at)) (f64.const 1)))
            (local.set $at (i32.add (local.get $bins) (i32.shl (i32.load8_u offset=2 (local.get $row)) (i32.const 5))))
            (v128.store offset=16384 (local.get $at) (f64x2.add (v128.load offset=16384 (local.get $at)) (local.get $v)))
            (f64.store offset=16400 (local.get $at) (f64.add (f64.load offset=16400 (local.get $at)) (f64.const 1)))
            (local.set $at (i32.add (local.get $bins) (i32.shl (i32.load8_u offset=3 (local.get $row)) (i32.const 5))))
            (v128.store offset=24576 (local.get $at) (f64x2.add (v128.load offset=24576 (local.get $at)) (local.get $v)))
            (f64.store offset=24592 (local.get $at) (f64.add (f64.load offset=24592 (local.get $at)) (f64.const 1)))
            (local.set $f (i32.add (local.get $f) (i32.const 4)))
            (local.set $row (i32.add (local.get $row) (i32.const 4)))
            (local.set $bins (i32.add (local.get $bins) (i32.const 32768)))
            (br $quads)))
        ;; The rest, one feature a step.
        (block $ones_done
          (loop $ones
            (br_if $ones_done (i32.ge_s (local.get $f) (local.get $f1)))
            (local.set $at (i32.add (local.get $bins) (i32.shl (i32.load8_u (local.get $row)) (i32.const 5))))
            (v128.store (local.get $at) (f64x2.add (v128.load (local.get $at)) (local.get $v)))
            (f64.store offset=16 (local.get $at) (f64.add (f64.load offset=16 (local.get $at)) (f64.const 1)))
            (local.set $f (i32.add (local.get $f) (i32.const 1)))
            (local.set $row (i32.add (local.get $row) (i32.const 1)))
            (local.set $bins (i32.add (local.get $bins) (i32.const 8192)))
            (br $ones)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows)))
  )

  ;; subtract(into, from, n): into[j] -= from[j] for n doubles (n even), two at a time.
  (func (export "subtract") (param $into i32) (param $from i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $into) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (loop $pairs
        (br_if $done (i32.ge_u (local.get $into) (local.get $end)))
        (v128.store (local.get $into) (f64x2.sub (v128.load (local.get $into)) (v128.load (local.get $from))))
        (local.set $into (i32.add (local.get $into) (i32.const 16)))
        (local.set $from (i32.add (local.get $from) (i32.const 16)))
        (br $pairs)))
  )

  ;; partition(column, order, scratch, start, end, bin, missingLeft, set) → rows sent left. Reorders order[start, end)
  ;; so the rows going left come first, both sides keeping their order. A row goes left when its code in `column`
  ;; (one byte per row) is ≤ `bin`, or is 255 (missing) and `missingLeft` is 1; at a category split (`set` ≠ 0) when
  ;; bit `code` of the 256-bit set at `set` is 1.
  (func (export "partition")
    (param $column i32) (param $order i32) (param $scratch i32) (param $start i32) (param $end i32) (param $bin i32)
    (param $missingLeft i32) (param $set i32) (result i32)
    (local $i i32) (local $l i32) (local $r i32) (local $row i32) (local $code i32) (local $left i32)
    (local.set $i (local.get $start))
    (local.set $l (local.get $start))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_s (local.get $i) (local.get $end)))
        (local.set $row (i32.load (i32.add (local.get $order) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $code (i32.load8_u (i32.add (local.get $column) (local.get $row))))
        (if (local.get $set)
          (then
            (local.set $left
              (i32.and
                (i32.shr_u
                  (i32.load (i32.add (local.get $set) (i32.shl (i32.shr_u (local.get $code) (i32.const 5)) (i32.const 2))))
                  (local.get $code))
                (i32.const 1))))
          (else
            (local.set $left
              (i32.or
                (i32.le_u (local.get $code) (local.get $bin))
                (i32.and (i32.eq (local.get $code) (i32.const 255)) (local.get $missingLeft))))))
        (i32.store (i32.add (local.get $order) (i32.shl (local.get $l) (i32.const 2))) (local.get $row))
        (i32.store (i32.add (local.get $scratch) (i32.shl (local.get $r) (i32.const 2))) (local.get $row))
        (local.set $l (i32.add (local.get $l) (local.get $left)))
        (local.set $r (i32.sub (i32.add (local.get $r) (i32.const 1)) (local.get $left)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows)))
    (memory.copy
      (i32.add (local.get $order) (i32.shl (local.get $l) (i32.const 2)))
      (local.get $scratch)
      (i32.shl (local.get $r) (i32.const 2)))
    (i32.sub (local.get $l) (local.get $start))
  )

  ;; addToRows(raw, order, start, end, value): raw[order[i]] += value for i in [start, end) (one output's doubles).
  (func (export "addToRows")
    (param $raw i32) (param $order i32) (param $start i32) (param $end i32) (param $value f64)
    (local $i i32) (local $at i32)
    (local.set $i (local.get $start))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_s (local.get $i) (local.get $end)))
        (local.set $at
          (i32.add (local.get $raw)
            (i32.shl (i32.load (i32.add (local.get $order) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 3))))
        (f64.store (local.get $at) (f64.add (f64.load (local.get $at)) (local.get $value)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows)))
  )

  ;; exp(x), within two ulps of Math.exp: x = k·ln 2 + r with |r| ≤ ln 2 / 2, eʳ by its Taylor series to r¹³ (error
  ;; below 1e-17; Estrin's scheme), times 2ᵏ built from its bits. Below −708.3 (where 2ᵏ would be subnormal) it gives 0,
  ;; above 709.78 +∞; NaN stays NaN.
  (func $exp (export "exp") (param $x f64) (result f64)
    (local $k f64) (local $r f64) (local $r2 f64) (local $r4 f64) (local $p f64)
    (if (f64.ne (local.get $x) (local.get $x)) (then (return (local.get $x))))
    (if (f64.lt (local.get $x) (f64.const -708.3)) (then (return (f64.const 0))))
    (if (f64.gt (local.get $x) (f64.const 709.782712893384)) (then (return (f64.const inf))))
    (local.set $k (f64.nearest (f64.mul (local.get $x) (f64.const 1.4426950408889634))))
    (local.set $r
      (f64.sub
        (f64.sub (local.get $x) (f64.mul (local.get $k) (f64.const 0x1.62e42fee00000p-1)))
        (f64.mul (local.get $k) (f64.const 0x1.a39ef35793c76p-33))))
    ;; Estrin's scheme: short dependency chains, so successive calls overlap.
    (local.set $r2 (f64.mul (local.get $r) (local.get $r)))
    (local.set $r4 (f64.mul (local.get $r2) (local.get $r2)))
    (local.set $p
      (f64.add
        (f64.add
          (f64.add (f64.add (f64.const 1) (f64.mul (local.get $r) (f64.const 1)))
            (f64.mul (local.get $r2) (f64.add (f64.const 0.5) (f64.mul (local.get $r) (f64.const 0.16666666666666666)))))
          (f64.mul (local.get $r4)
            (f64.add (f64.add (f64.const 0.041666666666666664) (f64.mul (local.get $r) (f64.const 0.008333333333333333)))
              (f64.mul (local.get $r2) (f64.add (f64.const 0.001388888888888889) (f64.mul (local.get $r) (f64.const 0.0001984126984126984)))))))
        (f64.mul (f64.mul (local.get $r4) (local.get $r4))
          (f64.add
            (f64.add (f64.add (f64.const 2.48015873015873e-05) (f64.mul (local.get $r) (f64.const 2.7557319223985893e-06)))
              (f64.mul (local.get $r2) (f64.add (f64.const 2.755731922398589e-07) (f64.mul (local.get $r) (f64.const 2.505210838544172e-08)))))
            (f64.mul (local.get $r4) (f64.add (f64.const 2.08767569878681e-09) (f64.mul (local.get $r) (f64.const 1.6059043836821613e-10))))))))
    (if (f64.gt (local.get $k) (f64.const 1023))
      (then (return (f64.mul (f64.mul (local.get $p) (f64.const 0x1p1023)) (f64.const 2)))))
    (f64.mul (local.get $p)
      (f64.reinterpret_i64 (i64.shl (i64.add (i64.trunc_f64_s (local.get $k)) (i64.const 1023)) (i64.const 52))))
  )

  ;; logisticGradients(raw, labels, start, end, g, h): the binary log loss's gradient and hessian of rows
  ;; [start, end): p = 1 / (1 + e^−raw), g = p − label, h = p (1 − p). Labels are 32-bit 0 or 1.
  (func (export "logisticGradients")
    (param $raw i32) (param $labels i32) (param $start i32) (param $end i32) (param $g i32) (param $h i32)
    (local $i i32) (local $p f64)
    (local.set $i (local.get $start))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_s (local.get $i) (local.get $end)))
        (local.set $p
          (f64.div (f64.const 1)
            (f64.add (f64.const 1) (call $exp (f64.neg (f64.load (i32.add (local.get $raw) (i32.shl (local.get $i) (i32.const 3)))))))))
        (f64.store (i32.add (local.get $g) (i32.shl (local.get $i) (i32.const 3)))
          (f64.sub (local.get $p)
            (f64.convert_i32_s (i32.load (i32.add (local.get $labels) (i32.shl (local.get $i) (i32.const 2)))))))
        (f64.store (i32.add (local.get $h) (i32.shl (local.get $i) (i32.const 3)))
          (f64.mul (local.get $p) (f64.sub (f64.const 1) (local.get $p))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows)))
  )

  ;; softmaxGradients(raw, labels, start, end, rows, outputs, g, h): the multinomial log loss's gradients and
  ;; hessians of rows [start, end) of `rows`, output k's at g + 8·(k·rows + i) (raw predictions likewise):
  ;; p = softmax of the row's raw predictions (shifted by the largest), g = p_k − [k = label], h = p_k (1 − p_k).
  ;; The exponentials wait in g until their sum is known.
  (func (export "softmaxGradients")
    (param $raw i32) (param $labels i32) (param $start i32) (param $end i32) (param $rows i32) (param $outputs i32)
    (param $g i32) (param $h i32)
    (local $i i32) (local $k i32) (local $row i32) (local $at i32) (local $column i32) (local $label i32)
    (local $top f64) (local $sum f64) (local $e f64) (local $p f64)
    (local.set $column (i32.shl (local.get $rows) (i32.const 3)))
    (local.set $i (local.get $start))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_s (local.get $i) (local.get $end)))
        (local.set $row (i32.add (local.get $raw) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $top (f64.const -inf))
        (local.set $k (i32.const 0))
        (loop $max
          (local.set $top (f64.max (local.get $top) (f64.load (i32.add (local.get $row) (i32.mul (local.get $k) (local.get $column))))))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br_if $max (i32.lt_s (local.get $k) (local.get $outputs))))
        (local.set $sum (f64.const 0))
        (local.set $k (i32.const 0))
        (local.set $at (i32.add (local.get $g) (i32.shl (local.get $i) (i32.const 3))))
        (loop $exps
          (local.set $e
            (call $exp
              (f64.sub (f64.load (i32.add (local.get $row) (i32.mul (local.get $k) (local.get $column)))) (local.get $top))))
          (f64.store (local.get $at) (local.get $e))
          (local.set $sum (f64.add (local.get $sum) (local.get $e)))
          (local.set $at (i32.add (local.get $at) (local.get $column)))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br_if $exps (i32.lt_s (local.get $k) (local.get $outputs))))
        (local.set $label (i32.load (i32.add (local.get $labels) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $k (i32.const 0))
        (local.set $at (i32.shl (local.get $i) (i32.const 3)))
        (loop $probabilities
          (local.set $p (f64.div (f64.load (i32.add (local.get $g) (local.get $at))) (local.get $sum)))
          (f64.store (i32.add (local.get $g) (local.get $at))
            (f64.sub (local.get $p) (f64.convert_i32_u (i32.eq (local.get $k) (local.get $label)))))
          (f64.store (i32.add (local.get $h) (local.get $at)) (f64.mul (local.get $p) (f64.sub (f64.const 1) (local.get $p))))
          (local.set $at (i32.add (local.get $at) (local.get $column)))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br_if $probabilities (i32.lt_s (local.get $k) (local.get $outputs))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows)))
  )
  ;; scanSplit(hist, end, last, missing, sumG, sumH, count, parent, l2, minLeaf, best, out) → 1 when it found a split
  ;; of one numeric feature better than `best`, its gain, bin, left Σg, Σh, count and missing direction (0 right, 1 left)
  ;; then in the six doubles at `out`. `hist` is the feature's first bin. Left to right over bins [0, end) with missing
  ;; values going right, then — when the feature has missing values (`missing` = 1) — right to left from bin last − 1
  ;; with them going left. A side needs `minLeaf` rows and a hessian of 1e-3; ties keep the first split met.
  (func (export "scanSplit")
    (param $hist i32) (param $end i32) (param $last i32) (param $missing i32)
    (param $sumG f64) (param $sumH f64) (param $count f64) (param $parent f64) (param $l2 f64) (param $minLeaf f64)
    (param $best f64) (param $out i32) (result i32)
    (local $b i32) (local $at i32) (local $found i32) (local $sums v128)
    (local $gl f64) (local $hl f64) (local $nl f64) (local $gr f64) (local $hr f64) (local $nr f64) (local $gain f64)
    (local.set $at (local.get $hist))
    (local.set $sums (v128.const f64x2 0 0))
    (block $done
      (loop $bins
        (br_if $done (i32.ge_s (local.get $b) (local.get $end)))
        (local.set $sums (f64x2.add (local.get $sums) (v128.load (local.get $at))))
        (local.set $nl (f64.add (local.get $nl) (f64.load offset=16 (local.get $at))))
        (if (f64.ge (local.get $nl) (local.get $minLeaf))
          (then
            (br_if $done (f64.lt (f64.sub (local.get $count) (local.get $nl)) (local.get $minLeaf)))
            (local.set $gl (f64x2.extract_lane 0 (local.get $sums)))
            (local.set $hl (f64x2.extract_lane 1 (local.get $sums)))
            (local.set $hr (f64.sub (local.get $sumH) (local.get $hl)))
            (if (i32.and (f64.ge (local.get $hl) (f64.const 1e-3)) (f64.ge (local.get $hr) (f64.const 1e-3)))
              (then
                (local.set $gr (f64.sub (local.get $sumG) (local.get $gl)))
                (local.set $gain
                  (f64.sub
                    (f64.add
                      (f64.div (f64.mul (local.get $gl) (local.get $gl)) (f64.add (local.get $hl) (local.get $l2)))
                      (f64.div (f64.mul (local.get $gr) (local.get $gr)) (f64.add (local.get $hr) (local.get $l2))))
                    (local.get $parent)))
                (if (f64.gt (local.get $gain) (local.get $best))
                  (then
                    (local.set $best (local.get $gain))
                    (local.set $found (i32.const 1))
                    (f64.store offset=0 (local.get $out) (local.get $gain))
                    (f64.store offset=8 (local.get $out) (f64.convert_i32_s (local.get $b)))
                    (f64.store offset=16 (local.get $out) (local.get $gl))
                    (f64.store offset=24 (local.get $out) (local.get $hl))
                    (f64.store offset=32 (local.get $out) (local.get $nl))
                    (f64.store offset=40 (local.get $out) (f64.const 0))))))))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (local.set $at (i32.add (local.get $at) (i32.const 32)))
        (br $bins)))
    (if (i32.eqz (local.get $missing)) (then (return (local.get $found))))
    (local.set $b (i32.sub (local.get $last) (i32.const 1)))
    (local.set $at (i32.add (local.get $hist) (i32.shl (local.get $last) (i32.const 5))))
    (local.set $sums (v128.const f64x2 0 0))
    (block $done
      (loop $bins
        (br_if $done (i32.lt_s (local.get $b) (i32.const 0)))
        (local.set $sums (f64x2.add (local.get $sums) (v128.load (local.get $at))))
        (local.set $nr (f64.add (local.get $nr) (f64.load offset=16 (local.get $at))))
        (if (f64.ge (local.get $nr) (local.get $minLeaf))
          (then
            (br_if $done (f64.lt (f64.sub (local.get $count) (local.get $nr)) (local.get $minLeaf)))
            (local.set $gl (f64.sub (local.get $sumG) (f64x2.extract_lane 0 (local.get $sums))))
            (local.set $hl (f64.sub (local.get $sumH) (f64x2.extract_lane 1 (local.get $sums))))
            (local.set $hr (f64.sub (local.get $sumH) (local.get $hl)))
            (if (i32.and (f64.ge (local.get $hl) (f64.const 1e-3)) (f64.ge (local.get $hr) (f64.const 1e-3)))
              (then
                (local.set $gr (f64.sub (local.get $sumG) (local.get $gl)))
                (local.set $gain
                  (f64.sub
                    (f64.add
                      (f64.div (f64.mul (local.get $gl) (local.get $gl)) (f64.add (local.get $hl) (local.get $l2)))
                      (f64.div (f64.mul (local.get $gr) (local.get $gr)) (f64.add (local.get $hr) (local.get $l2))))
                    (local.get $parent)))
                (if (f64.gt (local.get $gain) (local.get $best))
                  (then
                    (local.set $best (local.get $gain))
                    (local.set $found (i32.const 1))
                    (f64.store offset=0 (local.get $out) (local.get $gain))
                    (f64.store offset=8 (local.get $out) (f64.convert_i32_s (local.get $b)))
                    (f64.store offset=16 (local.get $out) (local.get $gl))
                    (f64.store offset=24 (local.get $out) (local.get $hl))
                    (f64.store offset=32 (local.get $out) (f64.sub (local.get $count) (local.get $nr)))
                    (f64.store offset=40 (local.get $out) (f64.const 1))))))))
        (local.set $b (i32.sub (local.get $b) (i32.const 1)))
        (local.set $at (i32.sub (local.get $at) (i32.const 32)))
        (br $bins)))
    (local.get $found)
  )

  ;; argsort(values, n, work, bits) → byte offset of the positions (n 32-bit) of the n doubles at `values` in
  ;; ascending order, NaNs last, ties in their order. A radix sort on keys that order as the numbers do (a negative
  ;; number's bits all flipped, the others' sign bit), `bits` (8 or 16) a pass, skipping passes where every key shares
  ;; the digit. `work` holds 6n 32-bit words and 2^bits counts.
  (func $argsort (export "argsort") (param $values i32) (param $n i32) (param $work i32) (param $bits i32) (result i32)
    (local $lo i32) (local $hi i32) (local $index i32) (local $lo2 i32) (local $hi2 i32) (local $index2 i32)
    (local $counts i32) (local $i i32) (local $at i32) (local $word i32) (local $mask i32) (local $pass i32)
    (local $shift i32) (local $key i32) (local $digit i32) (local $sum i32) (local $count i32) (local $to i32)
    (local $swap i32)
    (local.set $lo (local.get $work))
    (local.set $hi (i32.add (local.get $lo) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $index (i32.add (local.get $hi) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $lo2 (i32.add (local.get $index) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $hi2 (i32.add (local.get $lo2) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $index2 (i32.add (local.get $hi2) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $counts (i32.add (local.get $index2) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $mask (i32.sub (i32.shl (i32.const 1) (local.get $bits)) (i32.const 1)))
    ;; Keys.
    (block $keyed
      (loop $keys
        (br_if $keyed (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $at (i32.shl (local.get $i) (i32.const 2)))
        (local.set $word (i32.load offset=4 (i32.add (local.get $values) (i32.shl (local.get $i) (i32.const 3)))))
        (if (f64.ne
              (f64.load (i32.add (local.get $values) (i32.shl (local.get $i) (i32.const 3))))
              (f64.load (i32.add (local.get $values) (i32.shl (local.get $i) (i32.const 3)))))
          (then
            (i32.store (i32.add (local.get $lo) (local.get $at)) (i32.const -1))
            (i32.store (i32.add (local.get $hi) (local.get $at)) (i32.const -1)))
          (else
            (if (i32.lt_s (local.get $word) (i32.const 0))
              (then
                (i32.store (i32.add (local.get $lo) (local.get $at))
                  (i32.xor (i32.load (i32.add (local.get $values) (i32.shl (local.get $i) (i32.const 3)))) (i32.const -1)))
                (i32.store (i32.add (local.get $hi) (local.get $at)) (i32.xor (local.get $word) (i32.const -1))))
              (else
                (i32.store (i32.add (local.get $lo) (local.get $at))
                  (i32.load (i32.add (local.get $values) (i32.shl (local.get $i) (i32.const 3)))))
                (i32.store (i32.add (local.get $hi) (local.get $at)) (i32.or (local.get $word) (i32.const 0x80000000)))))))
        (i32.store (i32.add (local.get $index) (local.get $at)) (local.get $i))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $keys)))
    ;; Passes, least significant digit first.
    (block $sorted
      (loop $passes
        (br_if $sorted (i32.ge_u (i32.mul (local.get $pass) (local.get $bits)) (i32.const 64)))
        (local.set $key
          (select (local.get $lo) (local.get $hi) (i32.lt_u (i32.mul (local.get $pass) (local.get $bits)) (i32.const 32))))
        (local.set $shift (i32.and (i32.mul (local.get $pass) (local.get $bits)) (i32.const 31)))
        (local.set $pass (i32.add (local.get $pass) (i32.const 1)))
        (memory.fill (local.get $counts) (i32.const 0) (i32.shl (i32.add (local.get $mask) (i32.const 1)) (i32.const 2)))
        (local.set $i (i32.const 0))
        (block $counted
          (loop $count
            (br_if $counted (i32.ge_s (local.get $i) (local.get $n)))
            (local.set $at
              (i32.add (local.get $counts)
                (i32.shl
                  (i32.and
                    (i32.shr_u (i32.load (i32.add (local.get $key) (i32.shl (local.get $i) (i32.const 2)))) (local.get $shift))
                    (local.get $mask))
                  (i32.const 2))))
            (i32.store (local.get $at) (i32.add (i32.load (local.get $at)) (i32.const 1)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $count)))
        ;; Every key shares this digit: nothing moves.
        (br_if $passes
          (i32.eq (local.get $n)
            (i32.load
              (i32.add (local.get $counts)
                (i32.shl (i32.and (i32.shr_u (i32.load (local.get $key)) (local.get $shift)) (local.get $mask)) (i32.const 2))))))
        (local.set $sum (i32.const 0))
        (local.set $digit (i32.const 0))
        (block $summed
          (loop $prefix
            (br_if $summed (i32.gt_u (local.get $digit) (local.get $mask)))
            (local.set $at (i32.add (local.get $counts) (i32.shl (local.get $digit) (i32.const 2))))
            (local.set $count (i32.load (local.get $at)))
            (i32.store (local.get $at) (local.get $sum))
            (local.set $sum (i32.add (local.get $sum) (local.get $count)))
            (local.set $digit (i32.add (local.get $digit) (i32.const 1)))
            (br $prefix)))
        (local.set $i (i32.const 0))
        (block $moved
          (loop $move
            (br_if $moved (i32.ge_s (local.get $i) (local.get $n)))
            (local.set $at
              (i32.add (local.get $counts)
                (i32.shl
                  (i32.and
                    (i32.shr_u (i32.load (i32.add (local.get $key) (i32.shl (local.get $i) (i32.const 2)))) (local.get $shift))
                    (local.get $mask))
                  (i32.const 2))))
            (local.set $to (i32.shl (i32.load (local.get $at)) (i32.const 2)))
            (i32.store (local.get $at) (i32.add (i32.load (local.get $at)) (i32.const 1)))
            (i32.store (i32.add (local.get $lo2) (local.get $to)) (i32.load (i32.add (local.get $lo) (i32.shl (local.get $i) (i32.const 2)))))
            (i32.store (i32.add (local.get $hi2) (local.get $to)) (i32.load (i32.add (local.get $hi) (i32.shl (local.get $i) (i32.const 2)))))
            (i32.store (i32.add (local.get $index2) (local.get $to))
              (i32.load (i32.add (local.get $index) (i32.shl (local.get $i) (i32.const 2)))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $move)))
        (local.set $swap (local.get $lo)) (local.set $lo (local.get $lo2)) (local.set $lo2 (local.get $swap))
        (local.set $swap (local.get $hi)) (local.set $hi (local.get $hi2)) (local.set $hi2 (local.get $swap))
        (local.set $swap (local.get $index)) (local.set $index (local.get $index2)) (local.set $index2 (local.get $swap))
        (br $passes)))
    (local.get $index)
  )

  ;; sortColumn(x, rows, cols, c, column, work, bits, sorted, present) → byte offset of the positions (rows 32-bit)
  ;; of column `c` of the row-major doubles at `x` in ascending order, NaNs last (see argsort); the column goes to
  ;; `column`, its values in that order up to the first NaN to `sorted`, and their count to the 32-bit word `present`.
  (func (export "sortColumn")
    (param $x i32) (param $rows i32) (param $cols i32) (param $c i32) (param $column i32) (param $work i32)
    (param $bits i32) (param $sorted i32) (param $present i32) (result i32)
    (local $i i32) (local $order i32) (local $value f64)
    (block $copied
      (loop $copy
        (br_if $copied (i32.ge_s (local.get $i) (local.get $rows)))
        (f64.store (i32.add (local.get $column) (i32.shl (local.get $i) (i32.const 3)))
          (f64.load (i32.add (local.get $x)
            (i32.shl (i32.add (i32.mul (local.get $i) (local.get $cols)) (local.get $c)) (i32.const 3)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $copy)))
    (local.set $order (call $argsort (local.get $column) (local.get $rows) (local.get $work) (local.get $bits)))
    (local.set $i (i32.const 0))
    (block $gathered
      (loop $gather
        (br_if $gathered (i32.ge_s (local.get $i) (local.get $rows)))
        (local.set $value
          (f64.load (i32.add (local.get $column)
            (i32.shl (i32.load (i32.add (local.get $order) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 3)))))
        (br_if $gathered (f64.ne (local.get $value) (local.get $value)))
        (f64.store (i32.add (local.get $sorted) (i32.shl (local.get $i) (i32.const 3))) (local.get $value))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $gather)))
    (i32.store (local.get $present) (local.get $i))
    (local.get $order)
  )

  ;; codeColumn(sorted, order, present, rows, edges, nEdges, missing, bins, codes, cols, c, wide): the bin of every
  ;; row of column `c` — the number of `edges` (nEdges doubles, ascending) strictly below its value, walking the
  ;; `present` values in ascending order (positions `order`), `missing` for the NaNs after them — into the 32-bit
  ;; scratch `bins` by row, then into column `c` of the row-major `codes`: 32-bit when `wide`, else bytes.
  (func (export "codeColumn")
    (param $sorted i32) (param $order i32) (param $present i32) (param $rows i32) (param $edges i32)
    (param $nEdges i32) (param $missing i32) (param $bins i32) (param $codes i32) (param $cols i32) (param $c i32)
    (param $wide i32)
    (local $i i32) (local $bin i32) (local $value f64)
    (block $coded
      (loop $code
        (br_if $coded (i32.ge_s (local.get $i) (local.get $present)))
        (local.set $value (f64.load (i32.add (local.get $sorted) (i32.shl (local.get $i) (i32.const 3)))))
        (block $found
          (loop $advance
            (br_if $found (i32.ge_s (local.get $bin) (local.get $nEdges)))
            (br_if $found
              (i32.eqz (f64.lt (f64.load (i32.add (local.get $edges) (i32.shl (local.get $bin) (i32.const 3))))
                (local.get $value))))
            (local.set $bin (i32.add (local.get $bin) (i32.const 1)))
            (br $advance)))
        (i32.store
          (i32.add (local.get $bins) (i32.shl (i32.load (i32.add (local.get $order) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 2)))
          (local.get $bin))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $code)))
    (block $marked
      (loop $mark
        (br_if $marked (i32.ge_s (local.get $i) (local.get $rows)))
        (i32.store
          (i32.add (local.get $bins) (i32.shl (i32.load (i32.add (local.get $order) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 2)))
          (local.get $missing))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $mark)))
    (local.set $i (i32.const 0))
    (block $copied
      (loop $copy
        (br_if $copied (i32.ge_s (local.get $i) (local.get $rows)))
        (if (local.get $wide)
          (then
            (i32.store
              (i32.add (local.get $codes) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $cols)) (local.get $c)) (i32.const 2)))
              (i32.load (i32.add (local.get $bins) (i32.shl (local.get $i) (i32.const 2))))))
          (else
            (i32.store8
              (i32.add (local.get $codes) (i32.add (i32.mul (local.get $i) (local.get $cols)) (local.get $c)))
              (i32.load (i32.add (local.get $bins) (i32.shl (local.get $i) (i32.const 2)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $copy)))
  )

  ;; The random forest's split search for classification with the Gini criterion, as TreeGrower does it in JavaScript
  ;; (the same operations in the same order, so the same bits). The rows of a node are order[start, end), with their
  ;; weight (f64) and class (i32) side by side; codes are row-major bytes. `tree` points at 16 i32 words describing
  ;; the grower's arrays:
  ;;   0 codes  1 cols  2 order  3 weight  4 class  5 features  6 maxFeatures  7 binCounts (i32 per feature)
  ;;   8 bins (histogram stride)  9 slots (classes)  10 hist  11 binRows  12 touched  13 isTouched (bytes)
  ;;   14 leftStats  15 bestLeft
  ;; bestSplit(tree, start, end, nodeStats, total, size, impurity, minLeaf, fused, out) searches the drawn features
  ;; features[0, maxFeatures) of the node whose class weights are at `nodeStats`: histograms of all of them in one pass
  ;; when `fused`, else of the bins each one's rows touch. out (f64): [gain, feature, bin], gain 0 and feature -1 when
  ;; no split beats the node; the best split's left class weights go to bestLeft. The histograms are zero afterwards.
  (func (export "bestSplit")
    (param $tree i32) (param $start i32) (param $end i32) (param $nodeStats i32) (param $total f64) (param $size i32)
    (param $impurity f64) (param $minLeaf i32) (param $fused i32) (param $out i32)
    (local $k i32) (local $maxFeatures i32) (local $f i32) (local $nb i32) (local $n i32) (local $bins i32)
    (local.set $maxFeatures (i32.load offset=24 (local.get $tree)))
    (local.set $bins (i32.load offset=32 (local.get $tree)))
    (f64.store (local.get $out) (f64.const 0))
    (f64.store offset=8 (local.get $out) (f64.const -1))
    (f64.store offset=16 (local.get $out) (f64.const -1))
    (if (local.get $fused) (then (call $fillFused (local.get $tree) (local.get $start) (local.get $end))))
    (block $searched
      (loop $features
        (br_if $searched (i32.ge_s (local.get $k) (local.get $maxFeatures)))
        (local.set $f (i32.load (i32.add (i32.load offset=20 (local.get $tree)) (i32.shl (local.get $k) (i32.const 2)))))
        (local.set $nb (i32.load (i32.add (i32.load offset=28 (local.get $tree)) (i32.shl (local.get $f) (i32.const 2)))))
        (if (local.get $fused)
          (then
            (call $scanGini (local.get $tree) (local.get $f) (i32.const 1) (i32.mul (local.get $k) (local.get $bins))
              (local.get $nb) (local.get $nodeStats) (local.get $total) (local.get $size) (local.get $impurity)
              (local.get $minLeaf) (local.get $out)))
          (else
            (local.set $n (call $fillTouched (local.get $tree) (local.get $f) (local.get $start) (local.get $end)))
            (call $scanGini (local.get $tree) (local.get $f) (i32.const 0) (i32.const 0) (local.get $n)
              (local.get $nodeStats) (local.get $total) (local.get $size) (local.get $impurity) (local.get $minLeaf)
              (local.get $out))
            (call $clearTouched (local.get $tree) (local.get $n))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $features)))
    (if (local.get $fused)
      (then
        (memory.fill (i32.load offset=40 (local.get $tree)) (i32.const 0)
          (i32.shl (i32.mul (i32.mul (local.get $maxFeatures) (local.get $bins)) (i32.load offset=36 (local.get $tree))) (i32.const 3)))
        (memory.fill (i32.load offset=44 (local.get $tree)) (i32.const 0)
          (i32.shl (i32.mul (local.get $maxFeatures) (local.get $bins)) (i32.const 2)))))
  )

  ;; Histograms of every drawn feature (feature k at bin offset k * bins) over order[start, end), in one pass.
  (func $fillFused (param $tree i32) (param $start i32) (param $end i32)
    (local $codes i32) (local $cols i32) (local $order i32) (local $weight i32) (local $class i32) (local $features i32)
    (local $maxFeatures i32) (local $bins i32) (local $slots i32) (local $hist i32) (local $binRows i32)
    (local $i i32) (local $k i32) (local $base i32) (local $w f64) (local $y i32) (local $slot i32) (local $at i32)
    (local.set $codes (i32.load offset=0 (local.get $tree)))
    (local.set $cols (i32.load offset=4 (local.get $tree)))
    (local.set $order (i32.load offset=8 (local.get $tree)))
    (local.set $weight (i32.load offset=12 (local.get $tree)))
    (local.set $class (i32.load offset=16 (local.get $tree)))
    (local.set $features (i32.load offset=20 (local.get $tree)))
    (local.set $maxFeatures (i32.load offset=24 (local.get $tree)))
    (local.set $bins (i32.load offset=32 (local.get $tree)))
    (local.set $slots (i32.load offset=36 (local.get $tree)))
    (local.set $hist (i32.load offset=40 (local.get $tree)))
    (local.set $binRows (i32.load offset=44 (local.get $tree)))
    (local.set $i (local.get $start))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_s (local.get $i) (local.get $end)))
        (local.set $base
          (i32.add (local.get $codes)
            (i32.mul (i32.load (i32.add (local.get $order) (i32.shl (local.get $i) (i32.const 2)))) (local.get $cols))))
        (local.set $w (f64.load (i32.add (local.get $weight) (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $y (i32.load (i32.add (local.get $class) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $k (i32.const 0))
        (block $features_done
          (loop $features
            (br_if $features_done (i32.ge_s (local.get $k) (local.get $maxFeatures)))
            (local.set $slot
              (i32.add (i32.mul (local.get $k) (local.get $bins))
                (i32.load8_u
                  (i32.add (local.get $base)
                    (i32.load (i32.add (local.get $features) (i32.shl (local.get $k) (i32.const 2))))))))
            (local.set $at
              (i32.add (local.get $hist)
                (i32.shl (i32.add (i32.mul (local.get $slot) (local.get $slots)) (local.get $y)) (i32.const 3))))
            (f64.store (local.get $at) (f64.add (f64.load (local.get $at)) (local.get $w)))
            (local.set $at (i32.add (local.get $binRows) (i32.shl (local.get $slot) (i32.const 2))))
            (i32.store (local.get $at) (i32.add (i32.load (local.get $at)) (i32.const 1)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $features)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows)))
  )

  ;; The histogram of feature `f` over the bins order[start, end) touches (listed in `touched`, ascending, and
  ;; marked in isTouched); returns their count.
  (func $fillTouched (param $tree i32) (param $f i32) (param $start i32) (param $end i32) (result i32)
    (local $codes i32) (local $cols i32) (local $order i32) (local $weight i32) (local $class i32) (local $slots i32)
    (local $hist i32) (local $binRows i32) (local $touched i32) (local $isTouched i32)
    (local $i i32) (local $n i32) (local $bin i32) (local $at i32) (local $j i32) (local $v i32)
    (local.set $codes (i32.load offset=0 (local.get $tree)))
    (local.set $cols (i32.load offset=4 (local.get $tree)))
    (local.set $order (i32.load offset=8 (local.get $tree)))
    (local.set $weight (i32.load offset=12 (local.get $tree)))
    (local.set $class (i32.load offset=16 (local.get $tree)))
    (local.set $slots (i32.load offset=36 (local.get $tree)))
    (local.set $hist (i32.load offset=40 (local.get $tree)))
    (local.set $binRows (i32.load offset=44 (local.get $tree)))
    (local.set $touched (i32.load offset=48 (local.get $tree)))
    (local.set $isTouched (i32.load offset=52 (local.get $tree)))
    (local.set $i (local.get $start))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_s (local.get $i) (local.get $end)))
        (local.set $bin
          (i32.load8_u
            (i32.add (local.get $codes)
              (i32.add
                (i32.mul (i32.load (i32.add (local.get $order) (i32.shl (local.get $i) (i32.const 2)))) (local.get $cols))
                (local.get $f)))))
        (if (i32.eqz (i32.load8_u (i32.add (local.get $isTouched) (local.get $bin))))
          (then
            (i32.store8 (i32.add (local.get $isTouched) (local.get $bin)) (i32.const 1))
            (i32.store (i32.add (local.get $touched) (i32.shl (local.get $n) (i32.const 2))) (local.get $bin))
            (local.set $n (i32.add (local.get $n) (i32.const 1)))))
        (local.set $at
          (i32.add (local.get $hist)
            (i32.shl
              (i32.add (i32.mul (local.get $bin) (local.get $slots))
                (i32.load (i32.add (local.get $class) (i32.shl (local.get $i) (i32.const 2)))))
              (i32.const 3))))
        (f64.store (local.get $at)
          (f64.add (f64.load (local.get $at)) (f64.load (i32.add (local.get $weight) (i32.shl (local.get $i) (i32.const 3))))))
        (local.set $at (i32.add (local.get $binRows) (i32.shl (local.get $bin) (i32.const 2))))
        (i32.store (local.get $at) (i32.add (i32.load (local.get $at)) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows)))
    ;; Ascending: many bins by one pass over the marks below nb, a few by insertion sort.
    (if (i32.gt_s (local.get $n) (i32.const 16))
      (then
        (local.set $i (i32.const 0))
        (local.set $bin (i32.const 0))
        (block $listed
          (loop $list
            (br_if $listed (i32.ge_s (local.get $i) (local.get $n)))
            (if (i32.load8_u (i32.add (local.get $isTouched) (local.get $bin)))
              (then
                (i32.store (i32.add (local.get $touched) (i32.shl (local.get $i) (i32.const 2))) (local.get $bin))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))))
            (local.set $bin (i32.add (local.get $bin) (i32.const 1)))
            (br $list))))
      (else
        (local.set $i (i32.const 1))
        (block $sorted
          (loop $insert
            (br_if $sorted (i32.ge_s (local.get $i) (local.get $n)))
            (local.set $v (i32.load (i32.add (local.get $touched) (i32.shl (local.get $i) (i32.const 2)))))
            (local.set $j (i32.sub (local.get $i) (i32.const 1)))
            (block $placed
              (loop $shift
                (br_if $placed (i32.lt_s (local.get $j) (i32.const 0)))
                (br_if $placed
                  (i32.le_s (i32.load (i32.add (local.get $touched) (i32.shl (local.get $j) (i32.const 2)))) (local.get $v)))
                (i32.store (i32.add (local.get $touched) (i32.shl (i32.add (local.get $j) (i32.const 1)) (i32.const 2)))
                  (i32.load (i32.add (local.get $touched) (i32.shl (local.get $j) (i32.const 2)))))
                (local.set $j (i32.sub (local.get $j) (i32.const 1)))
                (br $shift)))
            (i32.store (i32.add (local.get $touched) (i32.shl (i32.add (local.get $j) (i32.const 1)) (i32.const 2)))
              (local.get $v))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $insert)))))
    (local.get $n)
  )

  ;; Zeroes what fillTouched wrote for its `n` bins.
  (func $clearTouched (param $tree i32) (param $n i32)
    (local $slots i32) (local $t i32) (local $bin i32)
    (local.set $slots (i32.load offset=36 (local.get $tree)))
    (block $cleared
      (loop $clear
        (br_if $cleared (i32.ge_s (local.get $t) (local.get $n)))
        (local.set $bin (i32.load (i32.add (i32.load offset=48 (local.get $tree)) (i32.shl (local.get $t) (i32.const 2)))))
        (i32.store8 (i32.add (i32.load offset=52 (local.get $tree)) (local.get $bin)) (i32.const 0))
        (i32.store (i32.add (i32.load offset=44 (local.get $tree)) (i32.shl (local.get $bin) (i32.const 2))) (i32.const 0))
        (memory.fill
          (i32.add (i32.load offset=40 (local.get $tree)) (i32.shl (i32.mul (local.get $bin) (local.get $slots)) (i32.const 3)))
          (i32.const 0) (i32.shl (local.get $slots) (i32.const 3)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $clear)))
  )

  ;; Scans the split points of feature `f` after each of its bins (touched[0, n), or 0 … n − 1 when `dense`; the
  ;; histogram at bin offset `offset`; empty bins skipped) and records in `out` and bestLeft any better by > 1e-12.
  (func $scanGini
    (param $tree i32) (param $f i32) (param $dense i32) (param $offset i32) (param $n i32) (param $nodeStats i32)
    (param $total f64) (param $size i32) (param $impurity f64) (param $minLeaf i32) (param $out i32)
    (local $slots i32) (local $hist i32) (local $binRows i32) (local $leftStats i32) (local $t i32) (local $bin i32)
    (local $slot i32) (local $c i32) (local $l f64) (local $r f64) (local $leftTotal f64) (local $leftSquares f64)
    (local $rightSquares f64) (local $leftRows i32) (local $gain f64)
    (local.set $slots (i32.load offset=36 (local.get $tree)))
    (local.set $hist (i32.load offset=40 (local.get $tree)))
    (local.set $binRows (i32.load offset=44 (local.get $tree)))
    (local.set $leftStats (i32.load offset=56 (local.get $tree)))
    (memory.fill (local.get $leftStats) (i32.const 0) (i32.shl (local.get $slots) (i32.const 3)))
    (block $scanned
      (loop $scan
        (br_if $scanned (i32.ge_s (local.get $t) (local.get $n)))
        (local.set $bin
          (if (result i32) (local.get $dense)
            (then (local.get $t))
            (else (i32.load (i32.add (i32.load offset=48 (local.get $tree)) (i32.shl (local.get $t) (i32.const 2)))))))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (local.set $slot (i32.add (local.get $offset) (local.get $bin)))
        (br_if $scan (i32.eqz (i32.load (i32.add (local.get $binRows) (i32.shl (local.get $slot) (i32.const 2))))))
        (local.set $leftTotal (f64.const 0))
        (local.set $leftSquares (f64.const 0))
        (local.set $rightSquares (f64.const 0))
        (local.set $c (i32.const 0))
        (block $classes_done
          (loop $classes
            (br_if $classes_done (i32.ge_s (local.get $c) (local.get $slots)))
            (local.set $l
              (f64.add (f64.load (i32.add (local.get $leftStats) (i32.shl (local.get $c) (i32.const 3))))
                (f64.load (i32.add (local.get $hist)
                  (i32.shl (i32.add (i32.mul (local.get $slot) (local.get $slots)) (local.get $c)) (i32.const 3))))))
            (f64.store (i32.add (local.get $leftStats) (i32.shl (local.get $c) (i32.const 3))) (local.get $l))
            (local.set $r (f64.sub (f64.load (i32.add (local.get $nodeStats) (i32.shl (local.get $c) (i32.const 3)))) (local.get $l)))
            (local.set $leftTotal (f64.add (local.get $leftTotal) (local.get $l)))
            (local.set $leftSquares (f64.add (local.get $leftSquares) (f64.mul (local.get $l) (local.get $l))))
            (local.set $rightSquares (f64.add (local.get $rightSquares) (f64.mul (local.get $r) (local.get $r))))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $classes)))
        (local.set $leftRows
          (i32.add (local.get $leftRows) (i32.load (i32.add (local.get $binRows) (i32.shl (local.get $slot) (i32.const 2))))))
        ;; The last present bin: nothing left for the right.
        (br_if $scanned (i32.eq (local.get $leftRows) (local.get $size)))
        (br_if $scan (i32.lt_s (local.get $leftRows) (local.get $minLeaf)))
        (br_if $scan (i32.lt_s (i32.sub (local.get $size) (local.get $leftRows)) (local.get $minLeaf)))
        (local.set $gain
          (f64.add (f64.sub (local.get $impurity) (f64.const 1))
            (f64.div
              (f64.add (f64.div (local.get $leftSquares) (local.get $leftTotal))
                (f64.div (local.get $rightSquares) (f64.sub (local.get $total) (local.get $leftTotal))))
              (local.get $total))))
        (br_if $scan (i32.eqz (f64.gt (local.get $gain) (f64.add (f64.load (local.get $out)) (f64.const 1e-12)))))
        (f64.store (local.get $out) (local.get $gain))
        (f64.store offset=8 (local.get $out) (f64.convert_i32_s (local.get $f)))
        (f64.store offset=16 (local.get $out) (f64.convert_i32_s (local.get $bin)))
        (memory.copy (i32.load offset=60 (local.get $tree)) (local.get $leftStats) (i32.shl (local.get $slots) (i32.const 3)))
        (br $scan)))
  )

  ;; partitionRows(tree, f, bin, start, end): moves the rows of order[start, end) whose code of feature `f` is ≤ bin to
  ;; the front (with their weight and class), as TreeGrower.partition; returns where the rest start.
  (func (export "partitionRows") (param $tree i32) (param $f i32) (param $bin i32) (param $start i32) (param $end i32)
    (result i32)
    (local $codes i32) (local $cols i32) (local $order i32) (local $weight i32) (local $class i32)
    (local $i i32) (local $j i32) (local $a i32) (local $b i32) (local $t i32) (local $w f64)
    (local.set $codes (i32.load offset=0 (local.get $tree)))
    (local.set $cols (i32.load offset=4 (local.get $tree)))
    (local.set $order (i32.load offset=8 (local.get $tree)))
    (local.set $weight (i32.load offset=12 (local.get $tree)))
    (local.set $class (i32.load offset=16 (local.get $tree)))
    (local.set $i (local.get $start))
    (local.set $j (i32.sub (local.get $end) (i32.const 1)))
    (block $done
      (loop $step
        (br_if $done (i32.gt_s (local.get $i) (local.get $j)))
        (local.set $a (i32.add (local.get $order) (i32.shl (local.get $i) (i32.const 2))))
        (if (i32.le_u
              (i32.load8_u (i32.add (local.get $codes)
                (i32.add (i32.mul (i32.load (local.get $a)) (local.get $cols)) (local.get $f))))
              (local.get $bin))
          (then (local.set $i (i32.add (local.get $i) (i32.const 1))))
          (else
            (local.set $b (i32.add (local.get $order) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $t (i32.load (local.get $a)))
            (i32.store (local.get $a) (i32.load (local.get $b)))
            (i32.store (local.get $b) (local.get $t))
            (local.set $a (i32.add (local.get $class) (i32.shl (local.get $i) (i32.const 2))))
            (local.set $b (i32.add (local.get $class) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $t (i32.load (local.get $a)))
            (i32.store (local.get $a) (i32.load (local.get $b)))
            (i32.store (local.get $b) (local.get $t))
            (local.set $a (i32.add (local.get $weight) (i32.shl (local.get $i) (i32.const 3))))
            (local.set $b (i32.add (local.get $weight) (i32.shl (local.get $j) (i32.const 3))))
            (local.set $w (f64.load (local.get $a)))
            (f64.store (local.get $a) (f64.load (local.get $b)))
            (f64.store (local.get $b) (local.get $w))
            (local.set $j (i32.sub (local.get $j) (i32.const 1)))))
        (br $step)))
    (local.get $i)
  )
)
