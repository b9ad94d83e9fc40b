package io.erlmachine.operator.machine;

/** Amounts of memory as a person reads them. */
final class Quantities {
  private static final long MIB = 1024L * 1024L;

  private Quantities() {
  }

  static String mebibytes(long bytes) {
    return bytes % MIB == 0 ? bytes / MIB + "Mi" : String.format(java.util.Locale.ROOT, "%.1fMi", bytes / (double) MIB);
  }
}
