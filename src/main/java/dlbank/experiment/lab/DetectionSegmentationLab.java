package dlbank.experiment.lab;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dlbank.data.DataSet;
import dlbank.data.DigitCanvases;
import dlbank.data.ImageDataset;
import dlbank.eval.BoxChecks;
import dlbank.eval.DetectionMetrics;
import dlbank.eval.DetectionMetrics.Detection;
import dlbank.eval.Predictions;
import dlbank.eval.SegmentationScores;
import dlbank.experiment.Claim;
import dlbank.experiment.Experiment;
import dlbank.experiment.Result;
import dlbank.experiment.RunContext;
import dlbank.model.DigitDetector;
import dlbank.model.UNet;
import dlbank.report.OverlayPictures;
import dlbank.train.DetectionLoss;
import dlbank.train.FitLoop;
import dlbank.train.PixelCrossEntropyLoss;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;

/**
 * Detection and segmentation on 64x64 canvases holding one to three MNIST digits with exact boxes
 * (dlbank.data.DigitCanvases). First the hand-written IoU and NMS against slow references (pixel
 * counting, the engine's arrays, every subset of the boxes); then a tiny one-stage detector
 * (dlbank.model.DigitDetector) judged by mAP@0.5 with and without NMS; then a small U-Net
 * (dlbank.model.UNet) that gives each pixel its digit, with and without its skip connections,
 * judged by IoU and Dice per class.
 */
public final class DetectionSegmentationLab implements Experiment {

    public static final String ID = "lab/detection-segmentation";
    static final int SIZE = 64;
    static final double IOU_THRESHOLD = 0.5;
    /** Detections below this score are not reported at all (COCO's usual 0.05). */
    static final double MIN_SCORE = 0.05;

    record Settings(int trainCanvases, int validationCanvases, int testCanvases, int detectorEpochs,
                    int segmentationEpochs, int batchSize, int boxPairs, int nmsTrials) {
        static Settings of(RunContext context) {
            int batch = context.config().batchSizeOr(32);
            return context.quick()
                    ? new Settings(200, 50, 50, context.config().epochsOr(1), context.config().epochsOr(1), batch, 1_000, 50)
                    : new Settings(10_000, 500, 1_000, context.config().epochsOr(8), context.config().epochsOr(5), batch,
                    10_000, 1_000);
        }
    }

    /** One segmenter's scores over all test pixels, and its class map of each test canvas. */
    record Segmentation(SegmentationScores scores, List<float[]> maps) {}

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "digits on 64x64 canvases: IoU and NMS checked, one-stage detector mAP@0.5 with and without NMS, U-Net IoU and Dice";
    }

    @Override
    public List<String> questions() {
        return List.of("concept/detection-segmentation");
    }

    @Override
    public List<String> headlineMetrics() {
        return List.of("map50_nms", "map50_no_nms", "mean_iou_unet", "mean_iou_no_skips");
    }

    @Override
    public Result run(RunContext context) throws Exception {
        Settings settings = Settings.of(context);
        long seed = context.config().seed();
        Result.Builder result = Result.builder()
                .config("canvases", SIZE + "x" + SIZE + ", 1-3 MNIST digits each, boxes = the digits' exact ink boxes")
                .config("train_canvases", settings.trainCanvases()).config("test_canvases", settings.testCanvases())
                .config("detector", "FCOS-style: stride 4 (16x16 cells), objectness + 4 distances + 10 classes per cell")
                .config("detector_epochs", settings.detectorEpochs()).config("segmentation_epochs", settings.segmentationEpochs())
                .config("score_threshold", MIN_SCORE).config("iou_threshold", IOU_THRESHOLD);
        // 1. The hand-written IoU and NMS against references that share none of their code.
        double[] iouErrors = BoxChecks.iouErrors(settings.boxPairs(), seed);
        int[] nmsMismatches = BoxChecks.nmsMismatches(settings.nmsTrials(), seed + 7, IOU_THRESHOLD);
        result.metric("iou_max_error_pixels", iouErrors[0]).metric("iou_max_error_engine", iouErrors[1])
                .metric("nms_trials", settings.nmsTrials()).metric("nms_mismatches", nmsMismatches[0])
                .metric("nms_boxes_suppressed", nmsMismatches[1]);
        context.info(String.format("IoU: max error %.3g against pixel counts, %.3g against the engine; NMS: %d of %d sets differ",
                iouErrors[0], iouErrors[1], nmsMismatches[0], settings.nmsTrials()));

        ImageDataset digits = ImageDataset.load(context.dataHome(), DataSet.MNIST, ImageDataset.Split.TRAIN, context::info);
        ImageDataset testDigits = ImageDataset.load(context.dataHome(), DataSet.MNIST, ImageDataset.Split.TEST, context::info);
        DigitCanvases train = DigitCanvases.make(digits, settings.trainCanvases(), SIZE, seed);
        DigitCanvases validation = DigitCanvases.make(digits, settings.validationCanvases(), SIZE, seed + 1);
        DigitCanvases test = DigitCanvases.make(testDigits, settings.testCanvases(), SIZE, seed + 2);
        long objects = test.truths().stream().mapToLong(List::size).sum();
        result.metric("test_objects", objects);

        // 2. The detector, its raw boxes and the boxes NMS keeps.
        List<List<Detection>> raw = new ArrayList<>();
        try (LabTraining.Classifier detector = LabTraining.classifier(context, "detector", DigitDetector.build(),
                new DetectionLoss(), 1e-3f, new Shape(settings.batchSize(), 1, SIZE, SIZE))) {
            NDManager manager = detector.manager();
            detector.loop(null).fit(detectionData(manager, train), detectionData(manager, validation),
                    new FitLoop.Settings(settings.detectorEpochs(), settings.batchSize(), seed, 0,
                            context.checkpointDir().resolve("detector"), context.resume()));
            int grid = SIZE / DigitDetector.STRIDE;
            for (float[] output : Predictions.perExample(detector.block(), manager, test.images(manager), 100, out -> out)) {
                raw.add(DigitDetector.decode(output, grid, MIN_SCORE));
            }
        }
        List<List<Detection>> kept = raw.stream().map(boxes -> DetectionMetrics.nms(boxes, IOU_THRESHOLD)).toList();
        double mapRaw = DetectionMetrics.meanAveragePrecision(raw, test.truths(), 10, IOU_THRESHOLD);
        double mapNms = DetectionMetrics.meanAveragePrecision(kept, test.truths(), 10, IOU_THRESHOLD);
        double perObjectRaw = raw.stream().mapToLong(List::size).sum() / (double) objects;
        double perObjectNms = kept.stream().mapToLong(List::size).sum() / (double) objects;
        result.metric("map50_no_nms", mapRaw).metric("map50_nms", mapNms).metric("boxes_per_object_no_nms", perObjectRaw)
                .metric("boxes_per_object_nms", perObjectNms);
        context.info(String.format("detector: mAP@0.5 %.4f without NMS (%.1f boxes per digit), %.4f with NMS (%.2f boxes per digit)",
                mapRaw, perObjectRaw, mapNms, perObjectNms));

        // 3. Segmentation: the U-Net and the same network without its skip connections.
        Segmentation unet = segment(context, settings, "unet", true, train, validation, test);
        Segmentation plain = segment(context, settings, "no-skips", false, train, validation, test);
        for (String name : List.of("unet", "no_skips")) {
            SegmentationScores scores = (name.equals("unet") ? unet : plain).scores();
            result.metric("mean_iou_" + name, scores.meanIou()).metric("mean_dice_" + name, scores.meanDice())
                    .metric("foreground_iou_" + name, scores.foregroundIou());
        }
        plot(context, result, test, raw, kept, unet, plain);
        addClaims(result, context.quick(), settings, iouErrors, nmsMismatches, mapRaw, mapNms, unet, plain);
        return result.build();
    }

    private static FitLoop.Data detectionData(NDManager manager, DigitCanvases canvases) {
        int grid = SIZE / DigitDetector.STRIDE;
        return new FitLoop.Data(canvases.images(manager), manager.create(DigitDetector.targets(canvases.truths(), SIZE),
                new Shape(canvases.count(), grid, grid, DigitDetector.TARGETS)));
    }

    /** Trains a U-Net (or the same network without skips) and scores its maps of the test canvases. */
    private static Segmentation segment(RunContext context, Settings settings, String name, boolean skips,
                                        DigitCanvases train, DigitCanvases validation, DigitCanvases test) {
        try (LabTraining.Classifier model = LabTraining.classifier(context, name, new UNet(11, skips),
                new PixelCrossEntropyLoss(), 1e-3f, new Shape(settings.batchSize(), 1, SIZE, SIZE))) {
            NDManager manager = model.manager();
            model.loop(null).fit(new FitLoop.Data(train.images(manager), train.classMaps(manager)),
                    new FitLoop.Data(validation.images(manager), validation.classMaps(manager)),
                    new FitLoop.Settings(settings.segmentationEpochs(), settings.batchSize(), context.config().seed(), 0,
                            context.checkpointDir().resolve(name), context.resume()));
            List<float[]> maps = Predictions.perExample(model.block(), manager, test.images(manager), 100,
                    logits -> logits.argMax(1).toType(DataType.FLOAT32, false));                // (B, 64, 64) classes
            SegmentationScores scores = new SegmentationScores(11);
            for (int i = 0; i < maps.size(); i++) {
                scores.add(test.classMap(i), maps.get(i));
            }
            context.info(String.format("%s: mean IoU %.4f, mean Dice %.4f over the ten digits; foreground IoU %.4f", name,
                    scores.meanIou(), scores.meanDice(), scores.foregroundIou()));
            return new Segmentation(scores, maps);
        }
    }

    private static void plot(RunContext context, Result.Builder result, DigitCanvases test, List<List<Detection>> raw,
                             List<List<Detection>> kept, Segmentation unet, Segmentation plain) {
        int shown = Math.min(4, test.count());
        List<OverlayPictures.BoxedImage> panels = new ArrayList<>();
        for (List<List<Detection>> boxes : List.of(raw, kept)) {
            for (int i = 0; i < shown; i++) {
                List<OverlayPictures.DrawnBox> drawn = new ArrayList<>();
                test.truths().get(i).forEach(truth -> drawn.add(new OverlayPictures.DrawnBox(truth.box(), new Color(0, 170, 0), "")));
                List<Detection> confident = boxes.get(i).stream().filter(d -> d.score() >= 0.3).toList();
                confident.forEach(d -> drawn.add(new OverlayPictures.DrawnBox(d.box(), new Color(230, 30, 30),
                        d.label() + " " + Math.round(100 * d.score()))));
                panels.add(new OverlayPictures.BoxedImage(test.canvas(i), SIZE, SIZE, drawn,
                        (boxes == raw ? "before NMS: " : "after NMS: ") + confident.size() + " boxes"));
            }
        }
        OverlayPictures.boxes(context.file("detections.png"), "Test canvases: true boxes (green) and detections with score >= 0.3 (red: digit, score %)",
                panels, shown, 4, List.of("top row: every cell's box before non-maximum suppression; bottom row: after NMS at IoU 0.5"));
        List<OverlayPictures.ColourImage> masks = new ArrayList<>();
        for (int i = 0; i < shown; i++) {
            masks.add(new OverlayPictures.ColourImage(OverlayPictures.grey(test.canvas(i)), SIZE, SIZE, "canvas"));
            masks.add(new OverlayPictures.ColourImage(OverlayPictures.classes(test.classMap(i)), SIZE, SIZE, "true classes"));
            masks.add(new OverlayPictures.ColourImage(OverlayPictures.classes(unet.maps().get(i)), SIZE, SIZE, "U-Net"));
            masks.add(new OverlayPictures.ColourImage(OverlayPictures.classes(plain.maps().get(i)), SIZE, SIZE, "no skips"));
        }
        OverlayPictures.colourGrid(context.file("segmentation.png"), "Pixel classes: one colour per digit, black = background",
                masks, 4, 3);
        result.artifact("detections.png").artifact("segmentation.png");
    }

    private static void addClaims(Result.Builder result, boolean quick, Settings settings, double[] iouErrors,
                                  int[] nmsMismatches, double mapRaw, double mapNms, Segmentation unet, Segmentation plain) {
        result.claim(Claim.check("The hand-written IoU is exact: on " + String.format("%,d", settings.boxPairs())
                        + " random box pairs it equals the IoU by pixel counting (error 0) and the engine's float32 IoU within 1e-6",
                "手写的 IoU 是精确的：在 " + String.format("%,d", settings.boxPairs())
                        + " 对随机框上与逐像素计数得到的 IoU 完全相等（误差为 0），与引擎 float32 计算的 IoU 相差不到 1e-6",
                iouErrors[0] == 0 && iouErrors[1] < 1e-6,
                Claim.values("iou_max_error_pixels", iouErrors[0], "iou_max_error_engine", iouErrors[1])));
        result.claim(Claim.check("The hand-written greedy NMS keeps exactly the boxes that NMS's definition allows, found by "
                        + "trying every subset: no difference in " + String.format("%,d", settings.nmsTrials()) + " sets of ten crowded boxes",
                "手写的贪心 NMS 保留的框与穷举所有子集按 NMS 定义求出的结果完全一致：" + String.format("%,d", settings.nmsTrials())
                        + " 组、每组十个密集重叠的框，没有一组不同",
                nmsMismatches[0] == 0, Claim.values("nms_mismatches", nmsMismatches[0], "nms_trials", settings.nmsTrials(),
                        "nms_boxes_suppressed", nmsMismatches[1])));
        result.claim(Claim.checkUnlessQuick(quick, "NMS is what turns the detector's many boxes per digit into one: mAP@0.5 "
                        + "is at least 0.85 with NMS and at least 0.2 lower without it, where the duplicates count as false positives",
                "NMS 把检测器对同一个数字给出的多个框合成一个：加 NMS 时 mAP@0.5 至少 0.85，不加时至少低 0.2（重复框都算误检）",
                mapNms >= 0.85 && mapNms - mapRaw >= 0.2, Claim.values("map50_nms", mapNms, "map50_no_nms", mapRaw)));
        SegmentationScores u = unet.scores();
        SegmentationScores p = plain.scores();
        result.claim(Claim.checkUnlessQuick(quick, "The small U-Net labels the digits' pixels with a mean IoU of at least 0.7 "
                        + "over the ten digits; Dice is never below IoU, being 2·IoU/(1 + IoU) for the same pixels",
                "小 U-Net 给数字像素分类，十个数字类别的平均 IoU 至少 0.7；同一组像素上 Dice = 2·IoU/(1 + IoU)，所以 Dice 永远不低于 IoU",
                u.meanIou() >= 0.7 && u.meanDice() >= u.meanIou() && u.diceIdentityError() < 1e-9,
                Claim.values("mean_iou_unet", u.meanIou(), "mean_dice_unet", u.meanDice(),
                        "dice_identity_max_error", u.diceIdentityError())));
        result.claim(Claim.checkUnlessQuick(quick, "The skip connections matter: without them the same encoder-decoder's "
                        + "mean IoU is at least 0.05 lower",
                "跳跃连接很关键：去掉跳跃连接后，同样的编码器-解码器平均 IoU 至少低 0.05",
                u.meanIou() - p.meanIou() >= 0.05, Claim.values("mean_iou_unet", u.meanIou(),
                        "mean_iou_no_skips", p.meanIou(), "foreground_iou_unet", u.foregroundIou(),
                        "foreground_iou_no_skips", p.foregroundIou())));
    }
}
