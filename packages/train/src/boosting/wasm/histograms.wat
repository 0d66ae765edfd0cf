;; The histogram kernels of gradient boosting (compiled by scripts/build-wasm.mjs into histograms-wasm.ts).
;; A histogram holds, per feature, 256 bins of four doubles: Σ gradient, Σ hessian, row count, 0 (32 bytes, so the
;; gradient and hessian of a row are added to a bin in one 128-bit add). Sums run in row order: the same bits as
;; adding one row after the other in JavaScript, whichever features a call covers.
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; fill(codes, cols, hist, g, h, order, start, end, f0, f1): features [f0, f1) of `hist` over rows order[start, end)
  ;; of the row-major byte codes (`cols` per row), zeroed first. Pointers are byte offsets.
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
)
