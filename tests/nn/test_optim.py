"""Optimisers, clipping and schedules against torch.optim; state round trips; checks."""

import json

import numpy as np
import pytest

from lstmcast.nn.dense import Dense
from lstmcast.nn.module import Module
from lstmcast.nn.optim import SGD, Adam, AdamW, CosineAnnealingLR, StepLR, clip_grad_norm


class Net(Module):
    """A parameter of its own and a sub-module, so names are dotted as in torch."""

    def __init__(self, dtype="float64", seed=0):
        super().__init__()
        rng = np.random.default_rng(seed)
        self.add_param("scale", rng.standard_normal(3).astype(dtype))
        self.head = Dense(4, 3, dtype=dtype, seed=seed + 1)


def gradient_sequence(net, steps, seed):
    rng = np.random.default_rng(seed)
    return [{name: rng.standard_normal(p.shape).astype(p.dtype) for name, p, _ in net.named_parameters()}
            for _ in range(steps)]


def set_grads(net, grads):
    for name, _, grad in net.named_parameters():
        grad[...] = grads[name]


OPTIMISERS = [
    (SGD, dict(lr=0.1, momentum=0.9), "SGD"),
    (SGD, dict(lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.01), "SGD"),
    (SGD, dict(lr=0.1, weight_decay=0.1), "SGD"),
    (Adam, dict(lr=0.01), "Adam"),
    (Adam, dict(lr=0.02, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1), "Adam"),
    (AdamW, dict(lr=0.01), "AdamW"),
    (AdamW, dict(lr=0.03, betas=(0.85, 0.95), weight_decay=0.2), "AdamW"),
]


@pytest.mark.parametrize("cls, kwargs, torch_name", OPTIMISERS)
def test_ten_steps_match_torch(cls, kwargs, torch_name):
    torch = pytest.importorskip("torch")
    net = Net()
    torch_params = {name: torch.tensor(p.copy(), requires_grad=True) for name, p, _ in net.named_parameters()}
    ours = cls(net, **kwargs)
    theirs = getattr(torch.optim, torch_name)(list(torch_params.values()), **kwargs)
    for grads in gradient_sequence(net, 10, seed=1):
        set_grads(net, grads)
        for name, tensor in torch_params.items():
            tensor.grad = torch.from_numpy(grads[name].copy())
        ours.step()
        theirs.step()
        for name, param, _ in net.named_parameters():
            assert np.allclose(param, torch_params[name].detach().numpy(), rtol=0, atol=1e-12), name


def test_step_updates_shared_arrays_in_place_in_their_dtype():
    net = Net(dtype="float32")
    weight = net.params["scale"]
    head_weight = net.head.params["weight"]
    before = head_weight.copy()
    opt = Adam(net, lr=0.1)
    set_grads(net, gradient_sequence(net, 1, seed=2)[0])
    opt.step()
    assert net.params["scale"] is weight and net.head.params["weight"] is head_weight
    assert head_weight.dtype == np.float32
    assert not np.array_equal(head_weight, before)
    assert np.allclose(net.head.forward(np.eye(4, dtype=np.float32)), head_weight.T + net.head.params["bias"])
    arrays, _ = opt.state_dict()
    assert all(a.dtype == np.float32 for a in arrays.values())


def test_zero_grad_clears_every_gradient():
    net = Net()
    set_grads(net, gradient_sequence(net, 1, seed=3)[0])
    SGD(net, lr=0.1).zero_grad()
    assert all(not grad.any() for _, _, grad in net.named_parameters())


@pytest.mark.parametrize("max_norm", [0.5, 100.0])
def test_clip_grad_norm_matches_torch(max_norm):
    torch = pytest.importorskip("torch")
    net = Net()
    grads = gradient_sequence(net, 1, seed=4)[0]
    set_grads(net, grads)
    tensors = [torch.zeros(g.shape, dtype=torch.float64, requires_grad=True) for g in grads.values()]
    for tensor, g in zip(tensors, grads.values()):
        tensor.grad = torch.from_numpy(g.copy())
    total = clip_grad_norm(net, max_norm)
    expected = torch.nn.utils.clip_grad_norm_(tensors, max_norm)
    assert total == pytest.approx(expected.item(), rel=1e-12)
    for (_, _, grad), tensor in zip(net.named_parameters(), tensors):
        assert np.allclose(grad, tensor.grad.numpy(), rtol=0, atol=1e-12)
    clipped = np.sqrt(sum((g ** 2).sum() for _, _, g in net.named_parameters()))
    assert clipped == pytest.approx(min(max_norm, total), rel=1e-5)


@pytest.mark.parametrize("make_ours, make_theirs", [
    (lambda opt: StepLR(opt, step_size=7, gamma=0.5),
     lambda torch, opt: torch.optim.lr_scheduler.StepLR(opt, step_size=7, gamma=0.5)),
    (lambda opt: CosineAnnealingLR(opt, T_max=12, eta_min=0.001),
     lambda torch, opt: torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=12, eta_min=0.001)),
    (lambda opt: CosineAnnealingLR(opt, T_max=30),
     lambda torch, opt: torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=30)),
])
def test_schedules_match_torch_over_30_steps(make_ours, make_theirs):
    torch = pytest.importorskip("torch")
    opt = SGD(Net(), lr=0.1)
    schedule = make_ours(opt)
    torch_opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    torch_schedule = make_theirs(torch, torch_opt)
    assert opt.lr == torch_schedule.get_last_lr()[0]
    for _ in range(30):
        torch_opt.step()
        torch_schedule.step()
        schedule.step()
        assert opt.lr == pytest.approx(torch_schedule.get_last_lr()[0], rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("cls, kwargs", [
    (SGD, dict(lr=0.1, momentum=0.9, nesterov=True)),
    (Adam, dict(lr=0.01, weight_decay=0.01)),
    (AdamW, dict(lr=0.01)),
])
def test_state_round_trip_continues_bit_identically(cls, kwargs, tmp_path):
    net = Net(dtype="float32")
    opt = cls(net, **kwargs)
    schedule = CosineAnnealingLR(opt, T_max=8)
    grads = gradient_sequence(net, 8, seed=5)
    for g in grads[:4]:
        set_grads(net, g)
        opt.step()
        schedule.step()
    arrays, meta = opt.state_dict()
    meta = json.loads(json.dumps(meta))
    schedule_state = json.loads(json.dumps(schedule.state_dict()))
    weights = net.state_dict()
    safetensors_numpy = pytest.importorskip("safetensors.numpy")
    safetensors_numpy.save_file(arrays, str(tmp_path / "optimizer.safetensors"))
    arrays = safetensors_numpy.load_file(str(tmp_path / "optimizer.safetensors"))

    resumed_net = Net(dtype="float32", seed=9)
    resumed_net.load_state_dict(weights)
    resumed = cls(resumed_net, **{**kwargs, "lr": 123.0})  # lr comes back from meta
    resumed_schedule = CosineAnnealingLR(resumed, T_max=8)
    resumed.load_state_dict(arrays, meta)
    resumed_schedule.load_state_dict(schedule_state)
    assert resumed.lr == opt.lr and resumed.step_count == 4

    for g in grads[4:]:
        for model, optimiser, sched in ((net, opt, schedule), (resumed_net, resumed, resumed_schedule)):
            set_grads(model, g)
            optimiser.step()
            sched.step()
    for (name, a, _), (_, b, _) in zip(net.named_parameters(), resumed_net.named_parameters()):
        assert np.array_equal(a, b), name
    assert resumed.lr == opt.lr


def test_state_dict_names_and_meta():
    net = Net()
    arrays, meta = Adam(net, lr=0.5, betas=(0.8, 0.9)).state_dict()
    assert sorted(arrays) == sorted(f"{b}.{n}" for b in ("exp_avg", "exp_avg_sq")
                                    for n in ("scale", "head.weight", "head.bias"))
    assert meta == {"type": "Adam", "step": 0, "lr": 0.5, "weight_decay": 0.0, "betas": [0.8, 0.9], "eps": 1e-8}
    assert SGD(net, lr=0.1).state_dict()[0] == {}
    assert sorted(SGD(net, lr=0.1, momentum=0.5).state_dict()[0]) == [
        "momentum_buffer.head.bias", "momentum_buffer.head.weight", "momentum_buffer.scale"]


def test_bad_arguments_raise_value_error():
    net = Net()
    with pytest.raises(ValueError, match="lr must be >= 0"):
        SGD(net, lr=-1.0)
    with pytest.raises(ValueError, match="momentum must be >= 0"):
        SGD(net, lr=0.1, momentum=-0.5)
    with pytest.raises(ValueError, match="nesterov=True needs momentum > 0"):
        SGD(net, lr=0.1, nesterov=True)
    with pytest.raises(ValueError, match="weight_decay must be >= 0"):
        Adam(net, weight_decay=-0.1)
    with pytest.raises(ValueError, match=r"betas must be two numbers in \[0, 1\)"):
        Adam(net, betas=(0.9, 1.0))
    with pytest.raises(ValueError, match="eps must be >= 0"):
        AdamW(net, eps=-1.0)
    with pytest.raises(ValueError, match="module must be a lstmcast.nn Module"):
        Adam([np.zeros(3)])
    with pytest.raises(ValueError, match="max_norm must be positive"):
        clip_grad_norm(net, 0.0)
    opt = Adam(net)
    with pytest.raises(ValueError, match="step_size must be a positive int"):
        StepLR(opt, step_size=0)
    with pytest.raises(ValueError, match="gamma must be positive"):
        StepLR(opt, step_size=2, gamma=0.0)
    with pytest.raises(ValueError, match="T_max must be a positive int"):
        CosineAnnealingLR(opt, T_max=0)
    with pytest.raises(ValueError, match="eta_min must be >= 0"):
        CosineAnnealingLR(opt, T_max=5, eta_min=-1.0)
    with pytest.raises(ValueError, match="state is for schedule 'StepLR'"):
        CosineAnnealingLR(opt, T_max=5).load_state_dict(StepLR(opt, step_size=2).state_dict())
    with pytest.raises(ValueError, match="state has T_max=5"):
        CosineAnnealingLR(opt, T_max=6).load_state_dict(CosineAnnealingLR(opt, T_max=5).state_dict())

    arrays, meta = opt.state_dict()
    with pytest.raises(ValueError, match="meta is for optimiser 'Adam', expected 'AdamW'"):
        AdamW(net).load_state_dict(arrays, meta)
    with pytest.raises(ValueError, match=r"arrays keys do not match: missing \['exp_avg.scale'\]"):
        Adam(net).load_state_dict({k: v for k, v in arrays.items() if k != "exp_avg.scale"}, meta)
    with pytest.raises(ValueError, match=r"arrays\['exp_avg.scale'\] has shape \(4,\), expected \(3,\)"):
        Adam(net).load_state_dict({**arrays, "exp_avg.scale": np.zeros(4)}, meta)
    sgd_arrays, sgd_meta = SGD(net, lr=0.1, momentum=0.9).state_dict()
    with pytest.raises(ValueError, match="meta has momentum 0.9"):
        SGD(net, lr=0.1, momentum=0.5).load_state_dict(sgd_arrays, sgd_meta)
