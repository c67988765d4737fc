package dev.ganymede.engine.output

import dev.ganymede.engine.GanymedeException
import spock.lang.Narrative
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Title

import java.nio.file.Files
import java.nio.file.Path

@Title("The run report is made from the folder's files alone, and says what a missing file leaves out")
@Narrative("""
RunReport reads a run folder (metrics.csv, run.properties, settings.properties, script.gan,
summary.txt, evaluation.csv, the PNG figures and progress.gif) and writes report.html. Each file
adds its part; a missing one turns its part into a sentence saying what is missing, so the
report of a run made from Java without a script, or stopped early, still opens. The numbers of
the summary come from the files: the throughput is the real images per second of the training
steps with the first (warm-up) step left out. The real run and the real browser are in the dsl
module's RunReportSpec.
""")
class RunReportFromFilesSpec extends Specification {

    @TempDir Path dir

    /** {@code n} steps of 64 images at 0.1 s each, after a slow first step. */
    static List<StepRecord> steps(int n) {
        (1..n).collect { int s ->
            s == 1 ? new StepRecord(1, 1, 1.4, 0.7, 0.5, 0.5, 10, 6.4)
                   : new StepRecord(s, 1 + (s - 1).intdiv(10), 1.2, 0.9, 0.6, 0.4, 640, 0.1)
        }
    }

    def "a folder holding only metrics.csv gets a report that names what is missing"() {
        given:
        CsvLog.write(dir.resolve('metrics.csv'), steps(30))

        when:
        def html = Files.readString(RunReport.write(dir))

        then: "the summary has the step count and the throughput of the steps after the first (64 images per 0.1 s)"
        html.contains('<dd class="value">30</dd>')
        html.contains('<dd class="value">640 img/s</dd>')

        and: "every section is there, the missing files named"
        ['summary', 'provenance', 'networks', 'training', 'metrics', 'samples', 'interpolation', 'animation', 'files']
                .every { html.contains("<section id=\"${it}\"") }
        html.contains('No script.gan in this folder')
        html.contains('No summary.txt in this folder')
        html.contains('No <code>losses.png</code> in this folder')
        html.contains('This run wrote no samples')
        html.contains('No metrics were tracked in this run')
        html.contains(RunReport.HOW_TO_TRACK)

        and: "the per-epoch table averages each epoch's steps"
        html.contains('<tr><td>003</td><td class="num">10</td><td class="num">1.2000</td><td class="num">0.9000</td>')
    }

    def "#grids sample figures are shown by #chosen, as seed 002 shows epochs 1, 2, 4, 10, 20 of 20"() {
        given:
        def files = (1..grids).collect { Path.of(String.format('samples/epoch-%03d.png', it)) }

        expect:
        RunReport.chosenGrids(files).collect { files.indexOf(it) + 1 } == chosen

        where:
        grids || chosen
        3     || [1, 2, 3]
        6     || [1, 2, 4, 6]
        20    || [1, 2, 4, 10, 20]
        100   || [1, 4, 10, 40, 100]
    }

    def "#metric counts as #sense (#why)"() {
        expect:
        RunReport.Evaluation.sense(metric) == sense

        where:
        metric      | why                                  || sense
        'fd'        | 'a distance'                         || -1
        'kid'       | 'a distance'                         || -1
        'kid_std'   | 'a spread, not a score'              || 0
        'precision' | 'the share of samples on the data'   || 1
        'coverage'  | 'the share of data near the samples' || 1
        'class_kl'  | 'a divergence to uniform classes'    || -1
        'loss_ratio'| 'unknown'                            || 0
    }

    def "evaluation.csv in long format gives one chart per metric; an unreadable line is reported, not fatal"() {
        given:
        CsvLog.write(dir.resolve('metrics.csv'), steps(20))
        Files.writeString(dir.resolve(RunReport.EVALUATION_FILE),
                'step,epoch,metric,value\n10,1,fd,50.5\n10,1,precision,oops\n20,2,fd,40.25\n20,2,precision,0.4\n')

        when:
        def html = RunReport.render(dir)
        def metrics = html.substring(html.indexOf('<section id="metrics"'), html.indexOf('<section id="samples"'))

        then:
        metrics.count('<img ') == 2
        metrics.contains('1 line of evaluation.csv could not be read (the first is line 3)')
        metrics.contains('<td>FD ↓</td><td class="num">2</td><td class="num">50.5</td><td class="num">40.25</td>')
    }

    def "a folder that is not a run folder is refused with a message saying why"() {
        when:
        RunReport.render(dir)

        then:
        def e = thrown(GanymedeException)
        e.message == "${dir} is not a run folder: it has neither metrics.csv nor run.properties (both written by a training run)".toString()
    }
}
