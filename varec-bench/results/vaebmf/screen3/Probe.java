import java.nio.file.Path;
import java.util.*;
import org.varec.io.ModelFile;
import org.varec.model.TrainedModel;
import org.varec.nn.ParamArray;

/** Attention diagnostics of a saved vaebmf model (user side). Usage: java -cp varec.jar Probe.java MODEL_FILE */
public class Probe {
    public static void main(String[] a) throws Exception {
        TrainedModel tm = ModelFile.load(Path.of(a[0]));
        Object model = tm.model();
        var m = model.getClass().getDeclaredMethod("encoderParams");
        m.setAccessible(true);
        @SuppressWarnings("unchecked") List<ParamArray> ps = (List<ParamArray>) m.invoke(model);
        var f = model.getClass().getDeclaredField("itemSamples"); f.setAccessible(true);
        float[] table = (float[]) f.get(model);
        var fm = model.getClass().getDeclaredField("userMean"); fm.setAccessible(true);
        float[] um = (float[]) fm.get(model);
        var fk = model.getClass().getDeclaredField("k"); fk.setAccessible(true);
        int k = fk.getInt(model);
        Map<String, ParamArray> byName = new LinkedHashMap<>();
        for (ParamArray p : ps) { byName.put(p.name(), p); }
        for (String side : new String[] {"att_mean", "att_var"}) {
            ParamArray th = byName.get("vaebmf.user." + side + ".theta");
            ParamArray w = byName.get("vaebmf.user." + side + ".w");
            ParamArray b = byName.get("vaebmf.user." + side + ".b");
            if (th == null) { System.out.println("no attention"); return; }
            double thn = 0, up = 0, upi = 0, lo = 0, bn = 0;
            for (float x : th.value()) thn += x * x;
            for (int i = 0; i < 2 * k; i++) for (int o = 0; o < k; o++) {
                double x = w.value()[i * k + o];
                if (i < k) { up += x * x; double d = x - (i == o ? 1 : 0); upi += d * d; } else lo += x * x;
            }
            for (float x : b.value()) bn += x * x;
            System.out.printf("%s: |Theta|=%.4f |W_up|=%.4f |W_up-I|=%.4f |W_low|=%.4f |b|=%.4f%n", side,
                    Math.sqrt(thn), Math.sqrt(up), Math.sqrt(upi), Math.sqrt(lo), Math.sqrt(bn));
            if (!side.equals("att_mean")) continue;
            // attention weights with q ~ final user mean
            var seen = tm.seen();
            double ent = 0, maxr = 0, cq = 0; int users = 0;
            double[] sc = new double[4000];
            for (int u = 0; u < seen.numUsers(); u++) {
                int[] it = seen.of(u);
                int n = it.length; if (n < 2) continue;
                double[] t = new double[k];
                for (int i = 0; i < k; i++) for (int o = 0; o < k; o++) t[o] += um[u * k + i] * th.value()[i * k + o];
                double mx = -1e300;
                for (int p = 0; p < n; p++) { double s = 0; for (int o = 0; o < k; o++) s += t[o] * table[it[p] * k + o]; sc[p] = s; mx = Math.max(mx, s); }
                double z = 0; for (int p = 0; p < n; p++) { sc[p] = Math.exp(sc[p] - mx); z += sc[p]; }
                double h = 0, amax = 0; double[] c = new double[k];
                for (int p = 0; p < n; p++) { double aw = sc[p] / z; h -= aw * Math.log(aw); amax = Math.max(amax, aw);
                    for (int o = 0; o < k; o++) c[o] += aw * table[it[p] * k + o]; }
                ent += h / Math.log(n); maxr += amax * n;
                // |c W_low| / |mu W_up|
                double nc = 0, nq = 0;
                for (int o = 0; o < k; o++) { double yc = 0, yq = 0;
                    for (int i = 0; i < k; i++) { yc += c[i] * w.value()[(k + i) * k + o]; yq += um[u * k + i] * w.value()[i * k + o]; }
                    nc += yc * yc; nq += yq * yq; }
                cq += Math.sqrt(nc) / Math.max(1e-12, Math.sqrt(nq));
                users++;
            }
            System.out.printf("  users %d: mean normalised entropy %.4f (1 = uniform), mean max weight x n %.3f, mean |c W_low|/|mu W_up| %.4f%n",
                    users, ent / users, maxr / users, cq / users);
        }
    }
}
