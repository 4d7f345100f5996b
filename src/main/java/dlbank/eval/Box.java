package dlbank.eval;

/**
 * An axis-aligned box in pixel coordinates: x1, y1 its top-left corner, x2, y2 its bottom-right
 * corner (exclusive), so a box around pixel columns 3..7 has x1 = 3, x2 = 8 and width 5.
 */
public record Box(double x1, double y1, double x2, double y2) {

    public double width() {
        return Math.max(0, x2 - x1);
    }

    public double height() {
        return Math.max(0, y2 - y1);
    }

    public double area() {
        return width() * height();
    }

    /**
     * Intersection over union, written by hand: the intersection is the box between the larger
     * top-left and the smaller bottom-right corner (empty when they cross), and the union is the two
     * areas less the intersection, which would otherwise count twice.
     */
    public double iou(Box other) {
        double width = Math.min(x2, other.x2) - Math.max(x1, other.x1);
        double height = Math.min(y2, other.y2) - Math.max(y1, other.y1);
        if (width <= 0 || height <= 0) {
            return 0;
        }
        double intersection = width * height;
        return intersection / (area() + other.area() - intersection);
    }
}
