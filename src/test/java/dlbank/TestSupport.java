package dlbank;

import dlbank.data.DataHome;
import dlbank.experiment.ProgressSink;
import dlbank.experiment.RunConfig;
import dlbank.experiment.RunContext;

import java.nio.file.Path;

/** Shared test setup: the engine's properties, the fixture data home, and contexts for quick runs. */
public final class TestSupport {

    /** Fixtures cut from the real data sets by scripts/cut-fixtures.py. */
    public static final Path FIXTURES = Path.of("src/test/resources/fixtures").toAbsolutePath();

    static {
        Main.configureRuntime(false);
    }

    private TestSupport() {}

    /** Call before touching DJL, so the engine starts offline with the configured threads. */
    public static void configureEngine() {
        // The static initialiser has run by now.
    }

    /** The bytes of a gzip-compressed file, uncompressed. */
    public static byte[] gunzip(Path file) throws java.io.IOException {
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(
                new java.io.ByteArrayInputStream(java.nio.file.Files.readAllBytes(file)))) {
            return in.readAllBytes();
        }
    }

    public static DataHome fixtureHome() {
        return new DataHome(FIXTURES);
    }

    public static RunContext quickContext(Path outputDir) {
        return quickContext(outputDir, java.util.Map.of());
    }

    /** A quick run with the experiment's own options set, e.g. cell=lstm. */
    public static RunContext quickContext(Path outputDir, java.util.Map<String, String> options) {
        configureEngine();
        RunConfig quick = RunConfig.quickDefaults();
        RunConfig config = new RunConfig(quick.seed(), null, null, true, quick.device(), 0, options);
        return new RunContext(config, outputDir, ProgressSink.silent(), fixtureHome(), ai.djl.Device.cpu(), false);
    }

    /** A PNG that holds only its header (IHDR, width x height, 1-bit grey) and IEND: no pixel data. */
    public static byte[] pngHeaderOnly(int width, int height) {
        java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(17);
        header.put("IHDR".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(width).putInt(height)
                .put((byte) 1).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(header.array());
        java.nio.ByteBuffer png = java.nio.ByteBuffer.allocate(8 + 4 + 17 + 4 + 12);
        png.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        png.putInt(13).put(header.array()).putInt((int) crc.getValue());
        png.putInt(0).put("IEND".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(0xAE426082);
        return png.array();
    }
}
