package org.varec.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.varec.model.als.AlsConfig;
import org.varec.model.als.AlsModel;
import org.varec.model.als.AlsTrainer;
import org.varec.model.autoenc.AutoRecConfig;
import org.varec.model.autoenc.AutoRecModel;
import org.varec.model.autoenc.AutoRecTrainer;
import org.varec.model.autoenc.UserAutoRecConfig;
import org.varec.model.autoenc.DaeCfConfig;
import org.varec.model.autoenc.MultVaeConfig;
import org.varec.model.autoenc.UserAutoencoderModel;
import org.varec.model.autoenc.UserAutoencoderTrainer;
import org.varec.model.baseline.BiasesConfig;
import org.varec.model.baseline.BiasesModel;
import org.varec.model.baseline.BiasesTrainer;
import org.varec.model.baseline.MeanConfig;
import org.varec.model.baseline.MeanModel;
import org.varec.model.bpmf.BpmfConfig;
import org.varec.model.bpmf.BpmfModel;
import org.varec.model.bpmf.BpmfTrainer;
import org.varec.model.fm.FmAlsConfig;
import org.varec.model.fm.FmAlsTrainer;
import org.varec.model.fm.FmMcmcConfig;
import org.varec.model.fm.FmMcmcTrainer;
import org.varec.model.fm.FmModel;
import org.varec.model.fm.FmSgdConfig;
import org.varec.model.fm.FmSgdTrainer;
import org.varec.model.fm.OvbfmConfig;
import org.varec.model.fm.OvbfmTrainer;
import org.varec.model.fm.VbfmConfig;
import org.varec.model.fm.VbfmTrainer;
import org.varec.model.fm.VfmConfig;
import org.varec.model.fm.VfmModel;
import org.varec.model.fm.VfmTrainer;
import org.varec.model.mf.BiasMfConfig;
import org.varec.model.mf.BiasMfModel;
import org.varec.model.mf.BiasMfTrainer;
import org.varec.model.ncf.ConvNcfConfig;
import org.varec.model.ncf.EmbeddingNetModel;
import org.varec.model.ncf.EmbeddingNetTrainer;
import org.varec.model.ncf.NcfConfig;
import org.varec.model.nnmf.BnnmfConfig;
import org.varec.model.sbm.SbmConfig;
import org.varec.model.sbm.SbmModel;
import org.varec.model.sbm.SbmTrainer;
import org.varec.model.nnmf.BnnmfModel;
import org.varec.model.nnmf.BnnmfTrainer;
import org.varec.model.nnmf.NnmfConfig;
import org.varec.model.nnmf.NnmfModel;
import org.varec.model.nnmf.NnmfTrainer;
import org.varec.model.sbm.IrmConfig;
import org.varec.model.sbm.IrmModel;
import org.varec.model.sbm.IrmTrainer;
import org.varec.model.svd.SvdConfig;
import org.varec.model.svd.SvdModel;
import org.varec.model.svd.SvdTrainer;
import org.varec.model.vae.VaeBmfConfig;
import org.varec.model.vae.VaeBmfModel;
import org.varec.model.vae.VaeBmfTrainer;
import org.varec.model.vb.VbmfConfig;
import org.varec.model.vb.VbmfModel;
import org.varec.model.vb.VbmfTrainer;

/**
 * The algorithm registry: CLI names to algorithms. The CLI, the experiment runner and model files
 * look algorithms up here by name and never switch on model types. Adding an algorithm is one
 * package (config record with {@code @Param} components, trainer, model) and one line here.
 */
public final class Algorithms {
    private static final Map<String, Algorithm<?, ?>> REGISTRY = Collections.synchronizedMap(new LinkedHashMap<>());

    static {
        register(new Algorithm<>("mean", "global mean rating (the floor every model must beat)",
                MeanConfig.class, MeanModel::trainer, MeanModel::read));
        register(new Algorithm<>("biases", "regularized user and item biases by alternating closed-form updates",
                BiasesConfig.class, BiasesTrainer::new, BiasesModel::read));
        register(new Algorithm<>("als", "alternating least squares with user and item biases (closed-form ridge sweeps)",
                AlsConfig.class, AlsTrainer::plain, AlsModel::read));
        register(new Algorithm<>("als-features", "ALS with biases and learned item genre vectors (cold-start items)",
                AlsConfig.class, AlsTrainer::withFeatures, AlsModel::read));
        register(new Algorithm<>("biasmf", "biased matrix factorization (Koren et al. 2009) by SGD, stratified over threads",
                BiasMfConfig.class, BiasMfTrainer::new, BiasMfModel::read));
        register(new Algorithm<>("svd", "truncated SVD of the bias- (or mean-) centred sparse rating matrix (randomized, Halko et al. 2011)",
                SvdConfig.class, SvdTrainer::new, SvdModel::read));
        register(new Algorithm<>("vbmf", "variational Bayesian MF (CAVI, diagonal or full covariances, learned precisions); predictive intervals",
                VbmfConfig.class, VbmfTrainer::new, VbmfModel::read));
        register(new Algorithm<>("bpmf", "Bayesian PMF with biases by Gibbs sampling (Normal-Wishart hyperpriors; predictive mean and variance)",
                BpmfConfig.class, BpmfTrainer::new, BpmfModel::read));
        register(new Algorithm<>("fm-sgd", "factorization machine (Rendle 2010) by SGD; regression or classification (logistic), optional side information",
                FmSgdConfig.class, FmSgdTrainer::new,
                (in, c) -> FmModel.read(in, "fm-sgd"), FmSgdTrainer::new));
        register(new Algorithm<>("fm-als", "factorization machine by alternating least squares / coordinate descent (Rendle 2012), regression",
                FmAlsConfig.class, FmAlsTrainer::new,
                (in, c) -> FmModel.read(in, "fm-als"), FmAlsTrainer::new));
        register(new Algorithm<>("fm-mcmc", "Bayesian factorization machine by Gibbs sampling as libFM's MCMC; regression or probit classification",
                FmMcmcConfig.class, FmMcmcTrainer::new,
                (in, c) -> FmModel.read(in, "fm-mcmc"), FmMcmcTrainer::new));
        register(new Algorithm<>("vfm", "variational factorization machine (Vie et al.): reparameterised ELBO, Adam, iterate averaging",
                VfmConfig.class, VfmTrainer::new, (in, c) -> VfmModel.read(in, "vfm"), VfmTrainer::new));
        register(new Algorithm<>("vbfm", "variational Bayes FM (Saha et al. 2017): closed-form coordinate ascent on the ELBO, regression",
                VbfmConfig.class, VbfmTrainer::new, (in, c) -> VfmModel.read(in, "vbfm"), VbfmTrainer::new));
        register(new Algorithm<>("ovbfm", "online variational Bayes FM: stochastic natural-gradient steps per mini-batch, regression",
                OvbfmConfig.class, OvbfmTrainer::new, (in, c) -> VfmModel.read(in, "ovbfm"), OvbfmTrainer::new));
        register(new Algorithm<>("nnmf", "neural network MF (Dziugaite and Roy 2015): an MLP on [U_n, V_m, U'_n o V'_m], alternating RMSProp steps, optional item genres",
                NnmfConfig.class, NnmfTrainer::new, NnmfModel::read));
        register(new Algorithm<>("bnnmf", "Bayesian neural network MF (NNMF paper sec. 3): mean-field SVI over embeddings and network; predictive intervals",
                BnnmfConfig.class, BnnmfTrainer::new, BnnmfModel::read));
        register(new Algorithm<NcfConfig, EmbeddingNetModel>("ncf", "NeuMF (He et al. 2017): GMF and ReLU-MLP towers on separate user/item embeddings, fused linear output; squared error",
                NcfConfig.class, EmbeddingNetTrainer::new, EmbeddingNetModel::read));
        register(new Algorithm<ConvNcfConfig, EmbeddingNetModel>("convncf", "ConvNCF (He et al. 2018): outer product of user and item embeddings through 2x2 stride-2 convolutions; squared error",
                ConvNcfConfig.class, EmbeddingNetTrainer::new, EmbeddingNetModel::read));
        register(Algorithm.forNetworks("sbm", "Dirichlet-process stochastic block model for networks (NNMF paper sec. 4): SVI over groups, sticks, group features and network",
                SbmConfig.class, SbmTrainer::new, SbmModel::read));
        register(new Algorithm<>("irm", "infinite relational model (Kemp et al. 2006) by collapsed Gibbs sampling: CRP groups, Beta-Bernoulli blocks; networks (or users x items co-clustering)",
                IrmConfig.class, IrmTrainer::new, IrmModel::read));
        register(new Algorithm<>("autorec-u", "U-AutoRec (Sedhain et al. 2015): each user's rating row through one sigmoid layer, squared error on observed entries only",
                UserAutoRecConfig.class, c -> AutoRecTrainer.users(c.settings()),
                (in, c) -> AutoRecModel.readUser(in, c.settings())));
        register(new Algorithm<>("autorec-i", "I-AutoRec (Sedhain et al. 2015): each item's rating column through one sigmoid layer, squared error on observed entries only",
                AutoRecConfig.class, AutoRecTrainer::items, AutoRecModel::readItem));
        register(new Algorithm<>("dae-cf", "denoising user autoencoder (Liang et al. 2018 Mult-DAE): input dropout, squared error on observed ratings (or likelihood=multinomial)",
                DaeCfConfig.class, UserAutoencoderTrainer::dae, UserAutoencoderModel::readDae));
        register(new Algorithm<>("mult-vae", "variational user autoencoder (Liang et al. 2018 Mult-VAE, annealed KL): squared error on observed ratings (or likelihood=multinomial); predictive intervals",
                MultVaeConfig.class, UserAutoencoderTrainer::vae, UserAutoencoderModel::readVae));
        register(new Algorithm<>("vaebmf", "VAE-based Bayesian MF with cross-feedback and attention (VAE-BMF paper): amortised user and item encoders, Algorithm 1; predictive intervals",
                VaeBmfConfig.class, VaeBmfTrainer::new, VaeBmfModel::read));
    }

    private Algorithms() {
    }

    /** Adds (or replaces) an algorithm under its name. */
    public static void register(Algorithm<?, ?> algorithm) {
        REGISTRY.put(algorithm.name(), algorithm);
    }

    /** The algorithm called {@code name}; an error lists the known names. */
    public static Algorithm<?, ?> get(String name) {
        Algorithm<?, ?> a = REGISTRY.get(name);
        if (a == null) {
            throw new IllegalArgumentException("unknown algorithm '" + name + "'; known: " + String.join(", ", names()));
        }
        return a;
    }

    public static List<String> names() {
        synchronized (REGISTRY) {
            return new ArrayList<>(REGISTRY.keySet());
        }
    }

    public static List<Algorithm<?, ?>> all() {
        synchronized (REGISTRY) {
            return new ArrayList<>(REGISTRY.values());
        }
    }
}
