package dev.ganymede.cli;

import dev.ganymede.engine.output.StepRecord;
import dev.ganymede.engine.train.Trainer;
import dev.ganymede.engine.train.TrainingStrategy.RecordedFigures;
import dev.ganymede.engine.train.TrainingListener;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Training progress on the console: a redrawn bar on a terminal (step, epoch, losses, images/s,
 * time left), plain lines otherwise (every tenth of the run and at each epoch end).
 */
public final class Progress implements TrainingListener {

    private final PrintStream out;
    private final boolean terminal;
    private final long totalSteps;
    private long firstStep = -1;
    private long started;
    private double imagesPerSecond;
    private long lastDraw;
    private StepRecord last;

    private final long before;

    public Progress(PrintStream out, boolean terminal, long totalSteps) {
        this(out, terminal, totalSteps, 0);
    }

    /** For a run resumed at step {@code before}: the line counts the run's steps, not this call's. */
    public Progress(PrintStream out, boolean terminal, long totalSteps, long before) {
        this.out = out;
        this.terminal = terminal;
        this.totalSteps = totalSteps;
        this.before = before;
    }

    @Override
    public void onStep(Trainer trainer, StepRecord r) {
        if (firstStep < 0) {
            firstStep = r.step() - 1;
            started = System.nanoTime();
        }
        last = r;
        // exponential average: the first steps pay for warm-up
        imagesPerSecond = imagesPerSecond == 0 ? r.imagesPerSecond() : 0.95 * imagesPerSecond + 0.05 * r.imagesPerSecond();
        long done = r.step() - firstStep;
        if (terminal) {
            long now = System.nanoTime();
            if (now - lastDraw > 200_000_000L || done == totalSteps) {
                lastDraw = now;
                out.print("\r" + line(trainer, r, done));
                out.flush();
            }
        } else if (totalSteps > 0 && (done == totalSteps || done % Math.max(1, totalSteps / 10) == 0)) {
            out.println(line(trainer, r, done));
        }
    }

    @Override
    public void onEpochEnd(Trainer trainer, int epoch) {
        if (last == null) {
            return;
        }
        RecordedFigures figures = trainer.strategy().recordedFigures();
        String text = figures.discriminatorOutputs()
                ? String.format(Locale.ROOT, "epoch %d done | %s | D(x) %.4f | D(G(z)) %.4f", epoch, figures.losses(last),
                        last.dReal(), last.dFake())
                : String.format(Locale.ROOT, "epoch %d done | %s", epoch, figures.losses(last));
        if (terminal) {
            out.print("\r\033[K");
        }
        out.println(text);
    }

    @Override
    public void onEnd(Trainer trainer, boolean stopped) {
        if (terminal && last != null) {
            out.println();
        }
    }

    private String line(Trainer trainer, StepRecord r, long done) {
        return String.format(Locale.ROOT, "%s | %s | %.0f img/s | %s left", head(r, done),
                trainer.strategy().recordedFigures().losses(r), imagesPerSecond, duration(timeLeft(done)));
    }

    private String head(StepRecord r, long done) {
        int width = 24;
        int filled = totalSteps > 0 ? (int) Math.min(width, done * width / totalSteps) : 0;
        return String.format(Locale.ROOT, "[%s%s] step %d/%d | epoch %d", "#".repeat(filled), ".".repeat(width - filled),
                before + done, before + totalSteps, r.epoch());
    }

    private double timeLeft(long done) {
        double elapsed = (System.nanoTime() - started) / 1e9;
        return done > 0 && totalSteps > 0 ? elapsed / done * (totalSteps - done) : 0;
    }

    public static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s";
        }
        return (s / 3600) + "h" + String.format(Locale.ROOT, "%02d", (s % 3600) / 60) + "m";
    }
}
