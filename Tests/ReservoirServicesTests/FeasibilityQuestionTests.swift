import ReservoirCore
import ReservoirServices
import Testing

/// `reservoir request check -f FORM` turns a form into a feasibility question: the form's terms, the
/// estimator's GPU count when the form gives none, and every missing field named at once.
@Suite struct FeasibilityQuestionTests {
    @Test("a training form's pool, model, GPUs and window; --gpus overrides; the emergency block makes it an emergency")
    func fromForm() throws {
        var form = RequestForm(kind: .training, category: .fineTuning)
        form.pool = "p1"
        var training = TrainingDetails()
        training.gpuModel = "A100-80GB"
        training.gpus = 2
        training.durationHours = 24
        form.training = training
        let q = try FeasibilityQuestion(form: form, catalog: .standard)
        #expect(q.pool == "p1" && q.model == "A100-80GB" && q.gpus == 2 && q.durationHours == 24 && q.category == .fineTuning && q.emergency == false)
        #expect(try FeasibilityQuestion(form: form, catalog: .standard, gpus: 6).gpus == 6)
        form.emergency = EmergencyDetails(category: "production-outage")
        #expect(try FeasibilityQuestion(form: form, catalog: .standard).emergency == true)
    }

    @Test("without GPUs the estimator's minimum for the run; with too little to estimate, every missing field at once")
    func estimatedOrNamed() throws {
        var form = RequestForm(kind: .training, category: .largeModel)
        var training = TrainingDetails()
        training.parameters = 70e9
        training.tokens = 2e12
        training.gpuModel = "H100-80GB"
        form.training = training
        let q = try FeasibilityQuestion(form: form, catalog: .standard)
        #expect(q.gpus >= 8, "70B with Adam does not fit fewer H100s: \(q.gpus)")
        let bare = RequestForm(kind: .training)
        let error = #expect(throws: ReservoirError.self) { try FeasibilityQuestion(form: bare, catalog: .standard) }
        #expect(error?.field == "category, training.gpus")
    }
}
