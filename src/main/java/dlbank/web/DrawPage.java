package dlbank.web;

import dlbank.data.DigitImage;
import dlbank.experiment.task.MnistCnnTask;
import dlbank.predict.DigitReader;
import dlbank.report.ModelChoice;
import dlbank.train.Devices;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dlbank.web.Html.say;

/**
 * Draw a digit (or upload a picture) and see what the saved MNIST model reads, with every class's
 * probability: the same {@link DigitReader#read} as {@code dlbank predict task/mnist-cnn}. Without a
 * saved model the page offers to train one.
 */
final class DrawPage {

    /** The largest upload: a photo of a digit is far smaller. */
    static final int MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
    /** Checked from the image header before decoding: 4096 x 4096. */
    static final long MAX_UPLOAD_PIXELS = 4096L * 4096L;

    private DrawPage() {}

    static void show(Site site, Context ctx) {
        Lang lang = Lang.of(ctx, site.settings().language());
        boolean hasModel = ModelChoice.hasModel(MnistCnnTask.ID);
        StringBuilder body = new StringBuilder("<h1>").append(say(lang, "Draw a digit", "写一个数字")).append("</h1>\n");
        body.append("<p class=\"lead\">").append(say(lang,
                "Draw with the mouse, a pen or a finger. The picture is brought to MNIST's form (cropped to the ink, "
                        + "20 px, centred by mass in 28x28) and read by the saved <code>task/mnist-cnn</code> model, as "
                        + "<code>dlbank predict task/mnist-cnn</code> reads a file.",
                "用鼠标、手写笔或手指写。图片先被处理成 MNIST 的样子（裁剪到笔迹、缩放到 20 像素、在 28×28 中按质心居中），"
                        + "再由保存的 <code>task/mnist-cnn</code> 模型识别，和 <code>dlbank predict task/mnist-cnn</code> 读取文件一样。"))
                .append("</p>\n");
        if (!hasModel) {
            body.append("<div class=\"notice\" id=\"no-model\"><p>").append(say(lang,
                    "No trained MNIST model is saved yet. Train one here: the full run (about a minute) reads digits well; "
                            + "the quick run takes seconds and reads them worse.",
                    "还没有保存的 MNIST 模型。可以在这里训练一个：完整运行（约一分钟）识别得好；快速运行只需几秒，但识别得差一些。"))
                    .append("</p>\n").append(RunPanel.html(MnistCnnTask.ID, lang)).append("</div>\n");
        }
        body.append("<div class=\"draw-layout\">\n<div class=\"pad\">\n")
                .append("<canvas id=\"pad\" width=\"280\" height=\"280\" aria-label=\"")
                .append(say(lang, "drawing area", "书写区")).append("\"></canvas>\n<div class=\"pad-buttons\">")
                .append("<button type=\"button\" id=\"clear\">").append(say(lang, "Clear", "清除")).append("</button> ")
                .append("<label class=\"upload\">").append(say(lang, "Or upload a picture (PNG or JPEG, up to 5 MB): ",
                        "或上传图片（PNG 或 JPEG，最大 5 MB）："))
                .append("<input type=\"file\" id=\"upload\" accept=\"image/png,image/jpeg,image/gif,image/bmp\"></label>")
                .append("</div>\n</div>\n<div class=\"prediction\" id=\"prediction\" data-digit=\"\" aria-live=\"polite\">\n")
                .append("<p class=\"reading\"><span id=\"digit\">–</span> <span id=\"confidence\"></span></p>\n")
                .append("<ol class=\"bars\" id=\"bars\">\n");
        for (int digit = 0; digit < 10; digit++) {
            body.append("<li data-digit=\"").append(digit).append("\"><span class=\"label\">").append(digit)
                    .append("</span><span class=\"track\"><span class=\"fill\"></span></span><span class=\"p\">0.000</span></li>\n");
        }
        body.append("</ol>\n<figure class=\"seen\"><canvas id=\"seen\" width=\"28\" height=\"28\"></canvas><figcaption>")
                .append(say(lang, "What the model saw: the 28x28 input", "模型看到的：28×28 输入")).append("</figcaption></figure>\n")
                .append("<p class=\"model-line\" id=\"model-line\"></p>\n<p class=\"error\" id=\"draw-error\" role=\"alert\"></p>\n")
                .append("</div>\n</div>\n");
        ctx.html(Html.page(lang, say(lang, "Draw a digit", "写一个数字"), "draw", body.toString(), "draw.js"));
    }

    /** POST /api/predict: the image's bytes in the body; the reading as JSON. */
    static void predict(Site site, Context ctx) {
        byte[] image = readLimited(ctx);
        if (!ModelChoice.hasModel(MnistCnnTask.ID)) {
            throw new WebError(404, "no trained model of task/mnist-cnn yet; train one with a run (the Draw page offers it)",
                    "还没有训练好的 task/mnist-cnn 模型；先运行一次训练（手写识别页提供按钮）");
        }
        ModelChoice choice = ModelChoice.of(MnistCnnTask.ID, null);
        String name = ctx.header("X-File-Name") != null ? "upload" : "drawing";
        DigitReader.Picture picture = new DigitReader.Picture(name, DigitImage.decode(image, name, MAX_UPLOAD_PIXELS));
        DigitReader.Reading reading = Devices.withoutGradMode(() ->
                DigitReader.read(choice.modelDir(), List.of(picture), site.device())).get(0);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("digit", reading.digit());
        json.put("probability", reading.probabilities()[reading.digit()]);
        json.put("probabilities", reading.probabilities());
        json.put("input", reading.input());
        json.put("model", modelLine(choice, "en"));
        json.put("model_zh", modelLine(choice, "zh"));
        Json.send(ctx, 200, json);
    }

    /** Which model read the digit, in words: its run's mode, when it finished and its test accuracy; no server path. */
    @SuppressWarnings("unchecked")
    static String modelLine(ModelChoice choice, String language) {
        boolean zh = language.equals("zh");
        java.nio.file.Path run = choice.modelDir().getParent();
        if (run == null || !dlbank.report.RunDirectory.isFinished(run)) {
            return zh ? "模型：task/mnist-cnn 保存的模型" : "Model: the saved task/mnist-cnn model";
        }
        Map<String, Object> report = dlbank.report.RunDirectory.readReport(run);
        boolean quick = "quick".equals(report.get("mode"));
        Object accuracy = ((Map<String, Object>) report.getOrDefault("metrics", Map.of())).get("test_accuracy");
        String name = run.getFileName().toString();
        return zh ? "模型：task/mnist-cnn 的" + (quick ? "快速运行" : "完整运行") + "（" + name + "），测试准确率 " + Html.number(accuracy)
                : "Model: task/mnist-cnn's " + (quick ? "quick run" : "full run") + " (" + name + "), test accuracy " + Html.number(accuracy);
    }

    /** The body, refused with 413 past the limit: by its declared length first, then by what arrives. */
    private static byte[] readLimited(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > MAX_UPLOAD_BYTES) {
            // Read (and drop) a body of up to four times the limit before refusing it: unread, the
            // connection is closed while the client may still be sending, and it sees a reset
            // instead of the 413. Larger bodies are refused without reading them.
            if (declared <= 4L * MAX_UPLOAD_BYTES) {
                try (InputStream in = ctx.bodyInputStream()) {
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                } catch (IOException e) {
                    // the client gave up: the 413 below is all that is left to say
                }
            }
            throw tooLarge(declared);
        }
        try (InputStream in = ctx.bodyInputStream()) {
            byte[] bytes = in.readNBytes(MAX_UPLOAD_BYTES + 1);
            if (bytes.length > MAX_UPLOAD_BYTES) {
                throw tooLarge(-1);
            }
            if (bytes.length == 0) {
                throw WebError.badRequest("no image in the request body", "请求体里没有图片");
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static WebError tooLarge(long bytes) {
        String size = bytes > 0 ? String.format("%,d bytes", bytes) : "more than 5 MB";
        return new WebError(413, "the image is too large (" + size + "); the limit is 5 MB",
                "图片太大（" + size + "）；上限是 5 MB");
    }
}
